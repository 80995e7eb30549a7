package checker

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// QueryKind says how a statement reached the server.
type QueryKind string

const (
	// KindQuery is a statement sent on its own (Exec, Query, QueryRow,
	// and the BEGIN/COMMIT of a transaction): one round trip.
	KindQuery QueryKind = "query"
	// KindBatchQuery is one statement of a pgx.Batch; all statements of a
	// batch share one round trip.
	KindBatchQuery QueryKind = "batch-query"
	// KindCopy is a CopyFrom: one round trip, however many rows.
	KindCopy QueryKind = "copy"
)

// Query is one statement the traced pool sent.
type Query struct {
	Kind QueryKind
	// SQL is the statement text; for a copy it reads
	// "COPY table (columns) FROM STDIN".
	SQL  string
	Args []any
	// Batch numbers the batch that carried a batch-query, from 1.
	Batch int
	// PID is the server process of the connection, so checks can tell
	// connections apart.
	PID uint32
	// Tag is the command tag ("INSERT 0 3"); empty until the statement ends.
	Tag pgconn.CommandTag
	// Err is the error the statement ended with.
	Err error
	// Start and End bracket the statement, from sending it to the end of
	// reading its result (rows.Close for a query). End is zero while the
	// statement is still running.
	Start, End time.Time
}

// Statement reduces q to the text form kept in a record's evidence.
func (q Query) Statement() SQLStatement {
	s := SQLStatement{Kind: q.Kind, SQL: q.SQL, Args: ArgsText(q.Args), Batch: q.Batch}
	if q.Err != nil {
		s.Error = q.Err.Error()
		s.SQLState = SQLState(q.Err)
	}
	if !q.End.IsZero() {
		s.DurationMS = float64(q.End.Sub(q.Start).Microseconds()) / 1000
	}
	return s
}

// Statements turns queries into evidence, keeping the first 50.
func Statements(qs []Query) []SQLStatement { return EvidenceList(qs, Query.Statement) }

// QueryLog records every statement sent through the pgx connections it is
// attached to (as ConnConfig.Tracer). It implements pgx's QueryTracer,
// BatchTracer, CopyFromTracer and PrepareTracer: a QueryTracer alone would
// not see the statements of a batch. It is safe for concurrent use.
//
// The zero value is ready to use.
type QueryLog struct {
	mu       sync.Mutex
	queries  []*Query
	batches  int
	prepares int
}

// Interfaces the log must keep implementing, or pgx silently stops calling it.
var (
	_ pgx.QueryTracer    = (*QueryLog)(nil)
	_ pgx.BatchTracer    = (*QueryLog)(nil)
	_ pgx.CopyFromTracer = (*QueryLog)(nil)
	_ pgx.PrepareTracer  = (*QueryLog)(nil)
)

// traceKey carries the statement (or batch) being traced from a Start call
// to its End call through the context pgx hands back.
type traceKey struct{}

type batchTrace struct {
	queries []*Query
	next    int // the statement whose result pgx reads next
}

func (l *QueryLog) add(q *Query) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries = append(l.queries, q)
}

// finish fills in how a statement ended. It locks because readers copy
// entries while the learner's goroutines are still running.
func (l *QueryLog) finish(q *Query, tag pgconn.CommandTag, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q.Tag, q.Err, q.End = tag, err, time.Now()
}

// TraceQueryStart records a statement sent with Exec, Query or QueryRow.
func (l *QueryLog) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	q := &Query{Kind: KindQuery, SQL: data.SQL, Args: data.Args, PID: pid(conn), Start: time.Now()}
	l.add(q)
	return context.WithValue(ctx, traceKey{}, q)
}

// TraceQueryEnd records how the statement ended.
func (l *QueryLog) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	if q, ok := ctx.Value(traceKey{}).(*Query); ok {
		l.finish(q, data.CommandTag, data.Err)
	}
}

// TraceBatchStart records every statement queued in the batch: they all
// travel to the server together, whether or not the learner reads their
// results.
func (l *QueryLog) TraceBatchStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.batches++
	bt := &batchTrace{}
	now := time.Now()
	if data.Batch != nil {
		for _, qq := range data.Batch.QueuedQueries {
			q := &Query{Kind: KindBatchQuery, SQL: qq.SQL, Args: qq.Arguments, Batch: l.batches, PID: pid(conn), Start: now}
			bt.queries = append(bt.queries, q)
			l.queries = append(l.queries, q)
		}
	}
	return context.WithValue(ctx, traceKey{}, bt)
}

// TraceBatchQuery records the result of the next statement of the batch;
// pgx reports them in queue order.
func (l *QueryLog) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	bt, ok := ctx.Value(traceKey{}).(*batchTrace)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if bt.next < len(bt.queries) {
		q := bt.queries[bt.next]
		q.Tag, q.Err, q.End = data.CommandTag, data.Err, time.Now()
		bt.next++
	}
}

// TraceBatchEnd closes the batch; statements whose results were never read
// end here, with the batch's error if it had one.
func (l *QueryLog) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchEndData) {
	bt, ok := ctx.Value(traceKey{}).(*batchTrace)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	for _, q := range bt.queries[bt.next:] {
		q.Err, q.End = data.Err, now
	}
}

// TraceCopyFromStart records a CopyFrom.
func (l *QueryLog) TraceCopyFromStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceCopyFromStartData) context.Context {
	sql := "COPY " + data.TableName.Sanitize()
	if len(data.ColumnNames) > 0 {
		cols := make([]string, len(data.ColumnNames))
		for i, c := range data.ColumnNames {
			cols[i] = pgx.Identifier{c}.Sanitize()
		}
		sql += " (" + strings.Join(cols, ", ") + ")"
	}
	q := &Query{Kind: KindCopy, SQL: sql + " FROM STDIN", PID: pid(conn), Start: time.Now()}
	l.add(q)
	return context.WithValue(ctx, traceKey{}, q)
}

// TraceCopyFromEnd records how the copy ended.
func (l *QueryLog) TraceCopyFromEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceCopyFromEndData) {
	if q, ok := ctx.Value(traceKey{}).(*Query); ok {
		l.finish(q, data.CommandTag, data.Err)
	}
}

// TracePrepareStart is needed only for TracePrepareEnd.
func (l *QueryLog) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	return ctx
}

// TracePrepareEnd counts statements pgx had to prepare on the server.
// Prepares are not counted as round trips of the learner's code: pgx
// prepares each new SQL text once per connection on its own, so the number
// depends on which connection the pool hands out, not on the code.
func (l *QueryLog) TracePrepareEnd(_ context.Context, _ *pgx.Conn, data pgx.TracePrepareEndData) {
	if data.AlreadyPrepared || data.Err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prepares++
}

func pid(conn *pgx.Conn) uint32 {
	if conn == nil || conn.PgConn() == nil {
		return 0
	}
	return conn.PgConn().PID()
}

// Filter selects statements from a [QueryLog].
type Filter func(Query) bool

// Queries returns a copy of the recorded statements, in the order they were
// sent, keeping those that pass every filter.
func (l *QueryLog) Queries(filters ...Filter) []Query {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Query
	for _, q := range l.queries {
		if keep(*q, filters) {
			out = append(out, *q)
		}
	}
	return out
}

func keep(q Query, filters []Filter) bool {
	for _, f := range filters {
		if !f(q) {
			return false
		}
	}
	return true
}

// Count returns how many recorded statements pass every filter.
func (l *QueryLog) Count(filters ...Filter) int { return len(l.Queries(filters...)) }

// RoundTrips returns how many times the learner's code waited on the server
// for the statements that pass every filter: one per query, one per copy,
// one per batch however many statements it carried.
func (l *QueryLog) RoundTrips(filters ...Filter) int { return roundTrips(l.Queries(filters...)) }

func roundTrips(qs []Query) int {
	n := 0
	seen := map[int]bool{}
	for _, q := range qs {
		if q.Kind != KindBatchQuery {
			n++
		} else if !seen[q.Batch] {
			seen[q.Batch] = true
			n++
		}
	}
	return n
}

// Batches returns how many batches were sent.
func (l *QueryLog) Batches() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.batches
}

// Prepares returns how many statements pgx prepared on the server.
func (l *QueryLog) Prepares() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.prepares
}

// Reset forgets everything recorded so far, so that a check can count what
// one call of the learner's code did. Statements still running when Reset is
// called are not counted.
func (l *QueryLog) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries, l.batches, l.prepares = nil, 0, 0
}

// SQLMatches keeps statements whose SQL matches the regular expression,
// case-insensitively. It panics on a malformed expression, which is a bug in
// the check, like regexp.MustCompile.
func SQLMatches(expr string) Filter {
	re := regexp.MustCompile("(?i)" + expr)
	return func(q Query) bool { return re.MatchString(q.SQL) }
}

// SQLHasPrefix keeps statements whose first word(s) are prefix, ignoring
// case and leading white space: SQLHasPrefix("insert") keeps INSERTs.
func SQLHasPrefix(prefix string) Filter {
	prefix = strings.ToLower(prefix)
	return func(q Query) bool {
		return strings.HasPrefix(strings.ToLower(strings.TrimSpace(q.SQL)), prefix)
	}
}

// OfKind keeps statements sent in one of the given ways.
func OfKind(kinds ...QueryKind) Filter {
	return func(q Query) bool { return slices.Contains(kinds, q.Kind) }
}

// txControlWords begin the statements that manage a transaction rather than
// touch data.
var txControlWords = []string{"begin", "start transaction", "commit", "end", "rollback", "abort", "savepoint", "release"}

// NotTxControl drops BEGIN, COMMIT, ROLLBACK, SAVEPOINT and RELEASE, so that
// a count measures the statements that touch data.
func NotTxControl(q Query) bool {
	sql := strings.ToLower(strings.TrimSpace(q.SQL))
	for _, w := range txControlWords {
		if strings.HasPrefix(sql, w) && (len(sql) == len(w) || !isWordByte(sql[len(w)])) {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// PeakOverlap returns the largest number of statements that were running at
// the same moment, for queries from one log or several (append the shard
// logs' queries to see whether a scatter-gather ran the shards in parallel).
// The statements of one batch count once, as the one round trip they share.
// A statement still running counts as running until now.
func PeakOverlap(qs []Query) int {
	type edge struct {
		at    time.Time
		delta int
	}
	type batchID struct {
		pid   uint32
		batch int
		start time.Time
	}
	edges := make([]edge, 0, 2*len(qs))
	seen := map[batchID]bool{}
	now := time.Now()
	for _, q := range qs {
		if q.Kind == KindBatchQuery {
			id := batchID{q.PID, q.Batch, q.Start}
			if seen[id] {
				continue
			}
			seen[id] = true
		}
		end := q.End
		if end.IsZero() {
			end = now
		}
		edges = append(edges, edge{q.Start, +1}, edge{end, -1})
	}
	// Ends sort before starts at the same instant: touching is not overlapping.
	slices.SortFunc(edges, func(a, b edge) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.delta - b.delta
	})
	peak, cur := 0, 0
	for _, e := range edges {
		cur += e.delta
		peak = max(peak, cur)
	}
	return peak
}
