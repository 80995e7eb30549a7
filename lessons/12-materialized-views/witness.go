// Package materializedviews is lesson 12's second witness. After the
// check, whose last step refreshed the dashboard after its writes, it reads
// sales_dashboard itself: its cells must be those of the witness's own
// dashboard query over the orders as they are now, reading it must touch
// a handful of pages, and a materialized view must carry the unique index
// a concurrent refresh needs. The shop's own keys and indexes must still be
// there.
package materializedviews

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

const (
	viewName = "sales_dashboard"
	// maxBuffers is the check's bound for one read of the dashboard.
	maxBuffers = 100
)

// ownDashboard is the witness's copy of the dashboard over the orders,
// and viewCells the same columns read from the view; both in cents, so
// that a revenue stored as numeric(12,2) or numeric compares alike.
const (
	ownDashboard = `
SELECT date_trunc('month', o.created_at, 'UTC') AS month, c.name AS category, count(*)::bigint AS orders,
       (sum(o.amount) * 100)::bigint AS cents
FROM orders o JOIN products p ON p.id = o.product_id JOIN categories c ON c.id = p.category_id
WHERE o.status NOT IN ('cancelled', 'refunded')
GROUP BY 1, 2`
	viewCells = `SELECT month, category, orders::bigint, (revenue * 100)::bigint FROM ` + viewName
)

var shopTables = []string{"categories", "products", "orders"}

// Witness is lesson 12's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, readCatalog, judge)
}

func readCatalog(ctx context.Context, conn *pgx.Conn) (witness.Catalog, error) {
	return witness.ReadCatalog(ctx, conn, shopTables...)
}

func judge(ctx context.Context, conn *pgx.Conn, before witness.Catalog) ([]witness.Fact, error) {
	after, err := readCatalog(ctx, conn)
	if err != nil {
		return nil, err
	}
	lost := before.Lost(after)
	facts := []witness.Fact{witness.Holds("database: the shop's keys and indexes kept", len(lost) == 0,
		"every key, constraint and index of categories, products and orders is still there",
		"the database no longer has "+strings.Join(lost, "; "))}
	var kind string
	err = conn.QueryRow(ctx, `SELECT coalesce((SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)), '')`, viewName).Scan(&kind)
	if err != nil {
		return nil, fmt.Errorf("look for %s: %w", viewName, err)
	}
	if kind == "" {
		return append(facts, witness.Holds("database: "+viewName+" holds the dashboard", false, "",
			"there is no "+viewName+" in the database after the check")), nil
	}
	f, err := cellsFact(ctx, conn)
	if err != nil {
		return nil, err
	}
	facts = append(facts, f)
	if f, err = buffersFact(ctx, conn); err != nil {
		return nil, err
	}
	facts = append(facts, f)
	if kind == "m" {
		if f, err = uniqueIndexFact(ctx, conn); err != nil {
			return nil, err
		}
		facts = append(facts, f)
	}
	return facts, nil
}

// cellsFact compares the view's cells with the witness's own dashboard.
func cellsFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	const name = "database: " + viewName + " holds the dashboard"
	want, err := witness.ReadDigest(ctx, conn, ownDashboard)
	if err != nil {
		return witness.Fact{}, err
	}
	got, err := witness.ReadDigest(ctx, conn, viewCells)
	if err != nil {
		return witness.Holds(name, false, "", fmt.Sprintf("%s cannot be read as the dashboard's cells (month, category, orders, revenue): %v", viewName, err)), nil
	}
	return witness.Holds(name, got == want,
		fmt.Sprintf("read by dblings after the check, the %d cells of %s are those of the dashboard over the orders as they are now", want.Rows, viewName),
		fmt.Sprintf("read by dblings after the check's last refresh, %s holds %d cells that are not the dashboard over the orders (%d cells): it is stale or wrong",
			viewName, got.Rows, want.Rows)), nil
}

// buffersFact plans a read of the whole view.
func buffersFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	plan, err := checker.Explain(ctx, conn, `SELECT * FROM `+viewName+` ORDER BY month, category`)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("plan a read of %s: %w", viewName, err)
	}
	n := plan.TotalBuffers()
	return witness.Holds("database: reading "+viewName+" is cheap", n <= maxBuffers,
		fmt.Sprintf("planned by dblings, reading every cell of %s touches %s buffers", viewName, checker.FormatCount(n)),
		fmt.Sprintf("planned by dblings, reading every cell of %s touches %s buffers, more than %d: it is not a small precomputed result",
			viewName, checker.FormatCount(n), maxBuffers)), nil
}

// uniqueIndexFact: a materialized view must have the index that lets it
// be refreshed concurrently: unique, on plain columns, with no WHERE.
func uniqueIndexFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	var index string
	err := conn.QueryRow(ctx, `
SELECT coalesce((SELECT indexrelid::regclass::text FROM pg_index
                 WHERE indrelid = to_regclass($1) AND indisunique AND indisvalid
                   AND indpred IS NULL AND indexprs IS NULL LIMIT 1), '')`, viewName).Scan(&index)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the indexes of %s: %w", viewName, err)
	}
	return witness.Holds("database: "+viewName+" can be refreshed concurrently", index != "",
		fmt.Sprintf("the materialized view has a unique index on plain columns (%s), which REFRESH ... CONCURRENTLY needs", index),
		"the materialized view has no unique index on plain columns without WHERE: REFRESH MATERIALIZED VIEW CONCURRENTLY refuses it, and every refresh must lock its readers out"), nil
}
