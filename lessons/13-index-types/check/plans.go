package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dblings/dblings/checker"
)

// sent is what one call of the learner's code sent about one table: the
// statements, each with its plan, as the check planned it afterwards with
// the same arguments.
type sent struct {
	table   string
	queries []checker.Query
	plans   []*checker.Plan
}

// record calls fn with a fresh query log and plans every statement it sent
// that names table. Planning happens after fn, on the check's connection,
// in a transaction that is rolled back, so a DELETE is planned, not redone.
// A statement that failed has no plan worth judging: the assertion on the
// function's result reports its error.
func record(c *checker.Check, ctx context.Context, table string, fn func()) sent {
	c.QueryLog().Reset()
	fn()
	s := sent{table: table}
	for _, q := range c.QueryLog().Queries(checker.NotTxControl) {
		if q.Err != nil || q.Kind == checker.KindCopy || !strings.Contains(strings.ToLower(q.SQL), table) {
			continue
		}
		plan, err := checker.ExplainQuery(ctx, c.Admin(), q)
		c.RequireNoError("plan the statement your code sent", err)
		s.queries = append(s.queries, q)
		s.plans = append(s.plans, plan)
	}
	return s
}

// seqScan returns the first plan that reads the whole table, or nil.
func (s sent) seqScan() *checker.Plan {
	for _, p := range s.plans {
		if len(p.SeqScans(s.table)) > 0 {
			return p
		}
	}
	return nil
}

// indexes lists the indexes of the table the plans read, each once.
func (s sent) indexes(c *checker.Check, ctx context.Context) []checker.Index {
	all, err := checker.Indexes(ctx, c.Admin(), s.table)
	c.RequireNoError("read the indexes of "+s.table, err)
	var used []checker.Index
	for _, p := range s.plans {
		for _, name := range p.IndexesUsed() {
			i := slices.IndexFunc(all, func(x checker.Index) bool { return x.Name == name })
			if i >= 0 && !slices.ContainsFunc(used, func(x checker.Index) bool { return x.Name == name }) {
				used = append(used, all[i])
			}
		}
	}
	return used
}

// evidence shows the statements and the first plan.
func (s sent) evidence() checker.Evidence {
	ev := checker.Evidence{Queries: checker.Statements(s.queries)}
	if p := s.seqScan(); p != nil {
		ev.Plan = p
	} else if len(s.plans) > 0 {
		ev.Plan = s.plans[0]
	}
	return ev
}

// sqlOf is the first statement, on one line, for a message.
func (s sent) sqlOf() string {
	if len(s.queries) == 0 {
		return "(none)"
	}
	return checker.OneLine(s.queries[0].SQL)
}

// removed is how many rows the Seq Scan of p threw away.
func removed(p *checker.Plan) string {
	var total float64
	for _, n := range p.Nodes() {
		total += n.RowsRemovedByFilter * float64(max(n.ActualLoops, 1))
	}
	return checker.FormatCount(int64(total))
}

// defs prints index definitions for a message.
func defs(idx []checker.Index) string {
	var out []string
	for _, i := range idx {
		out = append(out, i.Definition)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, "; ")
}

// noStatement is the message for a call that sent nothing about the table.
func noStatement(fn, table string) string {
	return fmt.Sprintf("%s sent no statement on %s that ran without an error, through the pool it was given: there is no plan to judge", fn, table)
}
