package checker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier is what the plan and catalog helpers need from a database handle.
// *pgxpool.Pool, *pgxpool.Conn, *pgx.Conn and pgx.Tx all satisfy it.
type Querier interface {
	Begin(ctx context.Context) (pgx.Tx, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Plan is the result of EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON). Its JSON
// form uses Postgres's own key names, so a plan in a record's evidence reads
// like EXPLAIN output and plan viewers such as PEV2 can open it; keys the
// checker does not model are dropped.
type Plan struct {
	Root          *PlanNode `json:"Plan"`
	PlanningTime  float64   `json:"Planning Time"`  // ms
	ExecutionTime float64   `json:"Execution Time"` // ms
	// SQL is the statement that was explained.
	SQL string `json:"Query Text,omitempty"`
}

// PlanNode is one node of a plan tree. Row counts and times are per loop,
// as Postgres reports them: multiply by ActualLoops (or use [PlanNode.Rows])
// for totals. Buffer counts include the node's children.
type PlanNode struct {
	NodeType           string `json:"Node Type"`
	ParentRelationship string `json:"Parent Relationship,omitempty"`
	// ParallelAware marks a node run by several processes; text EXPLAIN
	// shows it as a "Parallel " prefix on the node type.
	ParallelAware bool   `json:"Parallel Aware,omitempty"`
	RelationName  string `json:"Relation Name,omitempty"`
	Alias         string `json:"Alias,omitempty"`
	IndexName     string `json:"Index Name,omitempty"`
	IndexCond     string `json:"Index Cond,omitempty"`
	RecheckCond   string `json:"Recheck Cond,omitempty"`
	Filter        string `json:"Filter,omitempty"`
	JoinType      string `json:"Join Type,omitempty"`
	HashCond      string `json:"Hash Cond,omitempty"`

	SortKey       []string `json:"Sort Key,omitempty"`
	SortMethod    string   `json:"Sort Method,omitempty"`
	SortSpaceType string   `json:"Sort Space Type,omitempty"` // "Memory" or "Disk"
	SortSpaceUsed int64    `json:"Sort Space Used,omitempty"` // kB

	StartupCost       float64 `json:"Startup Cost"`
	TotalCost         float64 `json:"Total Cost"`
	PlanRows          float64 `json:"Plan Rows"`
	ActualStartupTime float64 `json:"Actual Startup Time"` // ms
	ActualTotalTime   float64 `json:"Actual Total Time"`   // ms
	// ActualRows is fractional from Postgres 18 on (an average per loop).
	ActualRows                float64 `json:"Actual Rows"`
	ActualLoops               int64   `json:"Actual Loops"`
	RowsRemovedByFilter       float64 `json:"Rows Removed by Filter,omitempty"`
	RowsRemovedByIndexRecheck float64 `json:"Rows Removed by Index Recheck,omitempty"`
	RowsRemovedByJoinFilter   float64 `json:"Rows Removed by Join Filter,omitempty"`
	HeapFetches               int64   `json:"Heap Fetches,omitempty"`

	SharedHitBlocks   int64 `json:"Shared Hit Blocks"`
	SharedReadBlocks  int64 `json:"Shared Read Blocks"`
	TempReadBlocks    int64 `json:"Temp Read Blocks,omitempty"`
	TempWrittenBlocks int64 `json:"Temp Written Blocks,omitempty"`

	WorkersPlanned  int          `json:"Workers Planned,omitempty"`
	WorkersLaunched int          `json:"Workers Launched,omitempty"`
	Workers         []PlanWorker `json:"Workers,omitempty"`

	Plans []*PlanNode `json:"Plans,omitempty"`
}

// PlanWorker is one parallel worker's share of a node (VERBOSE adds more).
type PlanWorker struct {
	WorkerNumber    int     `json:"Worker Number"`
	ActualTotalTime float64 `json:"Actual Total Time,omitempty"`
	ActualRows      float64 `json:"Actual Rows,omitempty"`
	ActualLoops     int64   `json:"Actual Loops,omitempty"`
}

// Explain runs EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) on one statement with
// its arguments and parses the plan.
//
// ANALYZE executes the statement, so Explain always runs it inside a
// transaction (a savepoint when db is a pgx.Tx) and rolls it back: a write
// leaves nothing behind. Deciding from the SQL text whether a statement
// writes would miss writable CTEs and functions with side effects.
//
// Plan shapes change with parallel workers; to pin them, pass a pgx.Tx in
// which the check ran SET LOCAL max_parallel_workers_per_gather = 0, or
// build the admin pool with that setting ([WithAdminSetting]). Match nodes
// with [Plan.Find], which treats a parallel Seq Scan as a Seq Scan.
func Explain(ctx context.Context, db Querier, sql string, args ...any) (*Plan, error) {
	sql = strings.TrimRight(strings.TrimSpace(sql), "; \n\t")
	fail := func(err error) (*Plan, error) { return nil, &ExplainError{SQL: sql, Err: err} }

	tx, err := db.Begin(ctx)
	if err != nil {
		return fail(err)
	}
	// The rollback undoes whatever ANALYZE executed; its error changes
	// nothing (a failed rollback closes the connection).
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	var raw []byte
	if err := tx.QueryRow(ctx, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "+sql, args...).Scan(&raw); err != nil {
		return fail(err)
	}
	plan, err := ParsePlan(raw)
	if err != nil {
		return fail(err)
	}
	plan.SQL = sql
	return plan, nil
}

// ExplainQuery explains a statement recorded by a [QueryLog], with the
// arguments the learner's code passed.
func ExplainQuery(ctx context.Context, db Querier, q Query) (*Plan, error) {
	return Explain(ctx, db, q.SQL, q.Args...)
}

// ParsePlan decodes EXPLAIN's JSON output: the one-element array Postgres
// prints, or a bare plan object.
func ParsePlan(data []byte) (*Plan, error) {
	var plans []Plan
	if err := json.Unmarshal(data, &plans); err != nil {
		var one Plan
		if err2 := json.Unmarshal(data, &one); err2 != nil {
			return nil, fmt.Errorf("parse EXPLAIN output: %w", err)
		}
		plans = []Plan{one}
	}
	if len(plans) == 0 || plans[0].Root == nil {
		return nil, errors.New("parse EXPLAIN output: no plan in it")
	}
	return &plans[0], nil
}

// Walk calls fn for every node, parents before children, with the node's
// depth (0 for the root).
func (p *Plan) Walk(fn func(n *PlanNode, depth int)) {
	var walk func(n *PlanNode, depth int)
	walk = func(n *PlanNode, depth int) {
		fn(n, depth)
		for _, c := range n.Plans {
			walk(c, depth+1)
		}
	}
	if p != nil && p.Root != nil {
		walk(p.Root, 0)
	}
}

// Nodes returns every node, parents before children.
func (p *Plan) Nodes() []*PlanNode {
	var out []*PlanNode
	p.Walk(func(n *PlanNode, _ int) { out = append(out, n) })
	return out
}

// Find returns the nodes of a type ("Seq Scan", "Index Scan", "Sort"). A
// "Parallel " prefix is ignored on both sides, so Find("Seq Scan") also
// returns parallel seq scans. Types are otherwise matched whole: an "Index
// Scan" is neither an "Index Only Scan" nor a "Bitmap Index Scan".
func (p *Plan) Find(nodeType string) []*PlanNode {
	var out []*PlanNode
	p.Walk(func(n *PlanNode, _ int) {
		if n.Is(nodeType) {
			out = append(out, n)
		}
	})
	return out
}

// SeqScans returns the sequential scans of relation; "" means any relation.
func (p *Plan) SeqScans(relation string) []*PlanNode {
	var out []*PlanNode
	for _, n := range p.Find("Seq Scan") {
		if relation == "" || n.RelationName == relation {
			out = append(out, n)
		}
	}
	return out
}

// HasSort reports whether the plan sorts rows itself (a Sort or an
// Incremental Sort node) instead of reading them in order from an index.
func (p *Plan) HasSort() bool {
	return len(p.Find("Sort")) > 0 || len(p.Find("Incremental Sort")) > 0
}

// IndexesUsed returns the names of the indexes the plan reads, in order of
// first appearance.
func (p *Plan) IndexesUsed() []string {
	var out []string
	seen := map[string]bool{}
	p.Walk(func(n *PlanNode, _ int) {
		if n.IndexName != "" && !seen[n.IndexName] {
			seen[n.IndexName] = true
			out = append(out, n.IndexName)
		}
	})
	return out
}

// TotalBuffers returns the shared buffers (hit in cache or read) the whole
// statement touched. Unlike time, it does not vary with machine load.
func (p *Plan) TotalBuffers() int64 {
	if p == nil || p.Root == nil {
		return 0
	}
	return p.Root.Buffers()
}

// RowsScanned returns how many rows the scan nodes of relation read, kept or
// thrown away by a filter; "" means every relation. A Seq Scan reads the
// whole table, an Index Scan only what the index pointed at.
func (p *Plan) RowsScanned(relation string) int64 {
	var total int64
	p.Walk(func(n *PlanNode, _ int) {
		scan := strings.HasSuffix(n.NodeType, "Scan") && n.RelationName != ""
		if scan && (relation == "" || n.RelationName == relation) {
			total += n.Rows() + n.RowsRemoved()
		}
	})
	return total
}

// Is reports whether n is of the given type, ignoring a "Parallel " prefix
// on either side.
func (n *PlanNode) Is(nodeType string) bool {
	return strings.TrimPrefix(n.NodeType, "Parallel ") == strings.TrimPrefix(nodeType, "Parallel ")
}

// Rows returns the rows the node produced over all its loops.
func (n *PlanNode) Rows() int64 { return perLoopTotal(n.ActualRows, n.ActualLoops) }

// RowsRemoved returns the rows the node read and then threw away, by its
// filter or an index recheck, over all its loops.
func (n *PlanNode) RowsRemoved() int64 {
	return perLoopTotal(n.RowsRemovedByFilter+n.RowsRemovedByIndexRecheck, n.ActualLoops)
}

// Buffers returns the shared buffers the node and its children touched.
func (n *PlanNode) Buffers() int64 { return n.SharedHitBlocks + n.SharedReadBlocks }

func perLoopTotal(perLoop float64, loops int64) int64 {
	return int64(math.Round(perLoop * float64(max(loops, 1))))
}

// Label names the node the way text EXPLAIN does: "Seq Scan on posts",
// "Index Scan using posts_author_idx on posts", "Sort by created_at DESC".
func (n *PlanNode) Label() string {
	var b strings.Builder
	if n.ParallelAware {
		b.WriteString("Parallel ")
	}
	b.WriteString(n.NodeType)
	if n.IndexName != "" {
		if n.RelationName != "" {
			fmt.Fprintf(&b, " using %s on %s", n.IndexName, n.RelationName)
		} else {
			fmt.Fprintf(&b, " on %s", n.IndexName) // a Bitmap Index Scan
		}
	} else if n.RelationName != "" {
		fmt.Fprintf(&b, " on %s", n.RelationName)
	}
	if len(n.SortKey) > 0 {
		fmt.Fprintf(&b, " by %s", strings.Join(n.SortKey, ", "))
	}
	return b.String()
}

// String renders the plan compactly, one line per node, children indented
// under their parent, then the planning and execution times:
//
//	Limit (20 rows, 0.053 ms, 23 buffers)
//	  -> Index Scan using posts_author_idx on posts (20 rows, 0.050 ms, 23 buffers)
//	planning 0.158 ms, execution 0.064 ms
func (p *Plan) String() string {
	var b strings.Builder
	p.Walk(func(n *PlanNode, depth int) {
		if depth > 0 {
			b.WriteString(strings.Repeat("  ", depth) + "-> ")
		}
		b.WriteString(n.Label() + " (" + strings.Join(n.facts(), ", ") + ")\n")
	})
	if p != nil && p.Root != nil {
		fmt.Fprintf(&b, "planning %s, execution %s", formatMS(p.PlanningTime), formatMS(p.ExecutionTime))
	}
	return b.String()
}

// facts lists what a rendered line says about a node.
func (n *PlanNode) facts() []string {
	rows := FormatCount(perLoopTotal(n.ActualRows, 1)) + " rows"
	if n.ActualLoops > 1 {
		rows += " × " + FormatCount(n.ActualLoops) + " loops"
	}
	out := []string{rows, formatMS(n.ActualTotalTime)}
	if n.RowsRemovedByFilter > 0 {
		out = append(out, FormatCount(perLoopTotal(n.RowsRemovedByFilter, n.ActualLoops))+" removed by filter")
	}
	if n.RowsRemovedByIndexRecheck > 0 {
		out = append(out, FormatCount(perLoopTotal(n.RowsRemovedByIndexRecheck, n.ActualLoops))+" removed by recheck")
	}
	if n.Buffers() > 0 {
		out = append(out, FormatCount(n.Buffers())+" buffers")
	}
	if n.SortSpaceType == "Disk" {
		out = append(out, "sorted on disk")
	}
	return out
}

// formatMS prints milliseconds with about three significant digits.
func formatMS(ms float64) string {
	switch {
	case ms < 1:
		return fmt.Sprintf("%.3f ms", ms)
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 100:
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.0f ms", ms)
}
