// Package aggregation is lesson 10's second witness. The report only
// reads, so what the learner's code returned lives in the check's process;
// the check keeps it, at its very end, in a table of the clone. After the
// check, the witness makes the report's sums itself, with its own queries
// over the same period, and compares them with that table; and it reads
// from the table statistics that nothing wrote to the shop's data.
package aggregation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dblings/dblings/witness"
)

// reportTable is where the check keeps what the learner's functions
// returned (see the check's keepReport).
const reportTable = "dblings_report"

// reportMonths is the period the check asks about: the last year of the
// data.
const reportMonths = 12

// shopTables are the fixture's tables, which the report must only read.
var shopTables = []string{"categories", "products", "orders"}

// Witness is lesson 10's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, readStats, judge)
}

// readStats reads the counters of each of the shop's tables.
func readStats(ctx context.Context, conn *pgx.Conn) (map[string]witness.TableStats, error) {
	stats := map[string]witness.TableStats{}
	for _, t := range shopTables {
		st, err := witness.ReadTableStats(ctx, conn, t)
		if err != nil {
			return nil, err
		}
		stats[t] = st
	}
	return stats, nil
}

func judge(ctx context.Context, conn *pgx.Conn, before map[string]witness.TableStats) ([]witness.Fact, error) {
	after, err := readStats(ctx, conn)
	if err != nil {
		return nil, err
	}
	var written []string
	for _, t := range shopTables {
		if d := after[t].Since(before[t]); d.Inserted+d.Updated+d.Deleted > 0 {
			written = append(written, fmt.Sprintf("%s (%d rows inserted, %d updated, %d deleted)", t, d.Inserted, d.Updated, d.Deleted))
		}
	}
	readOnly := witness.Holds("database: the shop's data only read", len(written) == 0,
		"no row of categories, products or orders was written during the check: a report only reads",
		"rows were written during the check: "+strings.Join(written, "; ")+"; a report only reads")
	report, err := reportFact(ctx, conn)
	if err != nil {
		return nil, err
	}
	return []witness.Fact{readOnly, report}, nil
}

// kept is the report as the check kept it.
type kept struct {
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	ByStatus []struct {
		Month        time.Time
		Status       string
		Orders       int64
		RevenueCents int64
	} `json:"by_status"`
	Running []struct {
		Month                      time.Time
		RevenueCents, RunningCents int64
	} `json:"running"`
	Top []struct {
		Category     string
		ProductID    int64
		Product      string
		RevenueCents int64
	} `json:"top"`
}

// reportFact compares the kept report with the witness's own sums, line
// by line, as text.
func reportFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	const name = "database: the report matches dblings' own sums"
	var doc []byte
	err := conn.QueryRow(ctx, `SELECT report FROM `+reportTable+` LIMIT 1`).Scan(&doc)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" || errors.Is(err, pgx.ErrNoRows) {
		return witness.Holds(name, false, "", "the check kept no report in the database: it did not run to its end"), nil
	}
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the kept report: %w", err)
	}
	var r kept
	if err := json.Unmarshal(doc, &r); err != nil {
		return witness.Holds(name, false, "", fmt.Sprintf("the report kept in the database is not one the check wrote: %v", err)), nil
	}
	from, to, err := period(ctx, conn)
	if err != nil {
		return witness.Fact{}, err
	}
	if !r.From.Equal(from) || !r.To.Equal(to) {
		return witness.Holds(name, false, "", fmt.Sprintf("the report kept in the database covers %s to %s, not the last %d months of orders (%s to %s)",
			r.From.UTC().Format(time.DateOnly), r.To.UTC().Format(time.DateOnly), reportMonths, from.Format(time.DateOnly), to.Format(time.DateOnly))), nil
	}
	var got []string
	for _, l := range r.ByStatus {
		got = append(got, fmt.Sprintf("status %s %s %d %d", stamp(l.Month), l.Status, l.Orders, l.RevenueCents))
	}
	for _, l := range r.Running {
		got = append(got, fmt.Sprintf("month %s %d %d", stamp(l.Month), l.RevenueCents, l.RunningCents))
	}
	for _, l := range r.Top {
		got = append(got, fmt.Sprintf("top %s %d %s %d", l.Category, l.ProductID, l.Product, l.RevenueCents))
	}
	want, err := ownSums(ctx, conn, from, to)
	if err != nil {
		return witness.Fact{}, err
	}
	if i := firstDifference(got, want); i >= 0 {
		wantLine, gotLine := "nothing", "nothing"
		if i < len(want) {
			wantLine = want[i]
		}
		if i < len(got) {
			gotLine = got[i]
		}
		return witness.Holds(name, false, "", fmt.Sprintf("the report kept in the database differs from dblings' own sums at line %d: %q, expected %q", i+1, gotLine, wantLine)), nil
	}
	return witness.Holds(name, true, fmt.Sprintf("the %d lines of the report the learner's code returned match the sums dblings made itself over the same %d months", len(want), reportMonths), ""), nil
}

// period is the last reportMonths whole months of orders.
func period(ctx context.Context, conn *pgx.Conn) (from, to time.Time, err error) {
	err = conn.QueryRow(ctx, `SELECT date_trunc('month', max(created_at), 'UTC') + interval '1 month' FROM orders`).Scan(&to)
	if err != nil {
		return from, to, fmt.Errorf("find the last month of orders: %w", err)
	}
	to = to.UTC()
	return to.AddDate(0, -reportMonths, 0), to, nil
}

// ownSums makes the three parts of the report with the witness's own
// queries, as lines of text in the report's order.
func ownSums(ctx context.Context, conn *pgx.Conn, from, to time.Time) ([]string, error) {
	// UTC for the text of the months, whatever the server's time zone.
	if _, err := conn.Exec(ctx, `SET TimeZone = 'UTC'`); err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, `
WITH o AS (
    SELECT date_trunc('month', created_at, 'UTC') AS m, status, amount, product_id,
           status NOT IN ('cancelled', 'refunded') AS earns
    FROM orders WHERE created_at >= $1 AND created_at < $2
), by_status AS (
    SELECT 1 AS part, m, format('status %s %s %s %s', to_char(m, 'YYYY-MM'), status, count(*), (sum(amount) * 100)::bigint) AS line
    FROM o GROUP BY m, status
), monthly AS (
    SELECT m, sum(amount) FILTER (WHERE earns) AS rev FROM o GROUP BY m HAVING bool_or(earns)
), running AS (
    SELECT 2 AS part, m, format('month %s %s %s', to_char(m, 'YYYY-MM'), (rev * 100)::bigint,
           (sum(rev) OVER (ORDER BY m) * 100)::bigint) AS line
    FROM monthly
), per_product AS (
    SELECT p.category_id, p.id, p.name, sum(o.amount) AS rev
    FROM o JOIN products p ON p.id = o.product_id WHERE o.earns GROUP BY p.category_id, p.id
), top AS (
    SELECT DISTINCT ON (c.name) 3 AS part, c.name AS cat,
           format('top %s %s %s %s', c.name, pp.id, pp.name, (pp.rev * 100)::bigint) AS line
    FROM per_product pp JOIN categories c ON c.id = pp.category_id
    ORDER BY c.name, pp.rev DESC, pp.id
)
SELECT line FROM (
    SELECT part, m::text AS k1, line FROM by_status
    UNION ALL SELECT part, m::text, line FROM running
    UNION ALL SELECT part, cat, line FROM top
) lines ORDER BY part, k1, line`, from, to)
	if err != nil {
		return nil, fmt.Errorf("make the report's sums: %w", err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("make the report's sums: %w", err)
	}
	return lines, nil
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01") }

// firstDifference returns the first index where a and b differ, or -1.
func firstDifference(a, b []string) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	if slices.Equal(a, b) {
		return -1
	}
	return 0
}
