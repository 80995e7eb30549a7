// Package batching is lesson 6's second witness: it reads the catalog
// before the check and after it, and counts the transactions the check's
// database committed in between. The feed must have reached the catalog
// (products added, existing ones updated, none lost), the constraints that
// reject a bad product must still be there, and the import must not have
// been committed product by product.
//
// The witness reads the feed from the catalog's changes rather than from
// the fixture's generator, so it stays right whatever data a run draws.
package batching

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

// Witness is lesson 6's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, lookAt, judge)
}

func judge(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
	after, err := lookAt(ctx, conn)
	if err != nil {
		return nil, err
	}
	lost := before.catalog.Lost(after.catalog)
	written := compare(before.products, after.products)
	return []witness.Fact{
		witness.Holds("database: existing indexes and constraints kept", len(lost) == 0,
			"every index and constraint the fixture had is still there, the CHECK that rejects a negative price among them",
			"the database no longer has "+strings.Join(lost, "; ")),
		written.fact(),
		commitsFact(after.commits-before.commits, written),
	}, nil
}

// look is what the witness reads at each end of the check.
type look struct {
	catalog  witness.Catalog
	products map[string]product
	// commits is the database's count of committed transactions. It is
	// read first, so that the judge's own reads do not count; the first
	// look's few do, which the bound can afford.
	commits int64
}

// product is one row of the catalog, without its SKU.
type product struct {
	name      string
	price     int64
	updatedAt *time.Time
}

func (p product) same(q product) bool {
	return p.name == q.name && p.price == q.price &&
		(p.updatedAt == nil) == (q.updatedAt == nil) && (p.updatedAt == nil || p.updatedAt.Equal(*q.updatedAt))
}

func lookAt(ctx context.Context, conn *pgx.Conn) (look, error) {
	var l look
	var err error
	if l.commits, err = readCommits(ctx, conn); err != nil {
		return l, err
	}
	if l.catalog, err = witness.ReadCatalog(ctx, conn, "products"); err != nil {
		return l, err
	}
	l.products, err = readProducts(ctx, conn)
	return l, err
}

// readCommits reads, afresh, how many transactions the clone's database
// has committed. The check's sessions flushed their counts as they ended.
func readCommits(ctx context.Context, conn *pgx.Conn) (int64, error) {
	if _, err := conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return 0, err
	}
	var n int64
	err := conn.QueryRow(ctx, `SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("read the database's commit count: %w", err)
	}
	return n, nil
}

func readProducts(ctx context.Context, conn *pgx.Conn) (map[string]product, error) {
	rows, err := conn.Query(ctx, `SELECT sku, name, price_cents, updated_at FROM products`)
	if err != nil {
		return nil, fmt.Errorf("read the catalog: %w", err)
	}
	out := map[string]product{}
	var sku string
	var p product
	_, err = pgx.ForEachRow(rows, []any{&sku, &p.name, &p.price, &p.updatedAt}, func() error {
		out[sku] = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the catalog: %w", err)
	}
	return out, nil
}

// writes sums up how the catalog changed during the check.
type writes struct {
	before, after        int
	added, updated, lost int
	firstLost            string // the first lost SKU, in order
}

func compare(before, after map[string]product) writes {
	w := writes{before: len(before), after: len(after)}
	var lost []string
	for sku, p := range before {
		q, ok := after[sku]
		switch {
		case !ok:
			lost = append(lost, sku)
		case !p.same(q):
			w.updated++
		}
	}
	if w.lost = len(lost); w.lost > 0 {
		w.firstLost = slices.Min(lost)
	}
	w.added = len(after) - (len(before) - w.lost)
	return w
}

// fact: the check's feed mixes new products with ones the catalog has, so
// its import adds some and updates others, and loses none.
func (w writes) fact() witness.Fact {
	count := func(n int) string { return checker.FormatCount(int64(n)) }
	ok := w.added > 0 && w.updated > 0 && w.lost == 0
	msg := fmt.Sprintf("the catalog went from %s to %s products during the check: %s added, %s of those it had updated, none lost",
		count(w.before), count(w.after), count(w.added), count(w.updated))
	switch {
	case w.lost > 0:
		msg = fmt.Sprintf("%s products the catalog had before the check are gone, %s among them: an import adds and updates, it never deletes",
			count(w.lost), w.firstLost)
	case w.added == 0 && w.updated == 0:
		msg = fmt.Sprintf("the catalog holds the same %s products as before the check: the feed it imports never reached the database", count(w.after))
	case !ok:
		msg = fmt.Sprintf("the catalog went from %s to %s products during the check, %s of those it had updated; the feed holds new products and products the catalog has, so an import both adds and updates",
			count(w.before), count(w.after), count(w.updated))
	}
	return witness.Holds("database: the feed reached the catalog", ok, msg, msg)
}

// commitsFact: an import that commits product by product commits at least
// once for every product it writes, so the database counts more commits
// than the catalog has new or changed rows. A batched import in one
// transaction commits a handful; the check's own timing of one INSERT per
// row (at most six runs of 2,000 rows) stays well below the feed's 20,000.
func commitsFact(commits int64, w writes) witness.Fact {
	written := int64(w.added + w.updated)
	n, products := checker.FormatCount(commits), checker.FormatCount(written)
	no := fmt.Sprintf("while the check ran its database committed %s transactions, more than the %s products the import wrote: the products were committed one at a time, so a failure half-way leaves the ones before it written",
		n, products)
	if written == 0 {
		no = "the import wrote no product, so its commits cannot be weighed"
	}
	return witness.Holds("database: the import did not commit product by product", written > 0 && commits < written,
		fmt.Sprintf("while the check ran its database committed %s transactions, the check's own row-by-row timing among them: fewer than the %s products the import wrote",
			n, products), no)
}
