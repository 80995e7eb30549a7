package witness

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// Catalog maps the indexes and constraints of some tables to their
// definitions, as Postgres prints them.
type Catalog map[string]string

// ReadCatalog reads the indexes and constraints of tables.
func ReadCatalog(ctx context.Context, conn *pgx.Conn, tables ...string) (Catalog, error) {
	rows, err := conn.Query(ctx, `
		SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
		WHERE indrelid = ANY($1::regclass[])
		UNION ALL
		SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = ANY($1::regclass[])`, tables)
	if err != nil {
		return nil, fmt.Errorf("read the catalog of %v: %w", tables, err)
	}
	defs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var d [2]string
		return d, r.Scan(&d[0], &d[1])
	})
	if err != nil {
		return nil, fmt.Errorf("read the catalog of %v: %w", tables, err)
	}
	c := Catalog{}
	for _, d := range defs {
		c[d[0]] = d[1]
	}
	return c, nil
}

// Lost lists, sorted, the definitions of c that later no longer has as
// they were: dropped or changed.
func (c Catalog) Lost(later Catalog) []string {
	var lost []string
	for name, def := range c {
		if later[name] != def {
			lost = append(lost, def)
		}
	}
	slices.Sort(lost)
	return lost
}

// TableStats are the counters Postgres keeps for one table. They only
// grow, and an unprivileged role cannot reset them, so the difference
// between two readings is what happened to the table in between.
type TableStats struct {
	SeqScans, SeqRowsRead   int64
	IndexScans, IndexFetchs int64
	Inserted, Updated       int64
	Deleted, Live           int64
}

// ReadTableStats reads table's counters afresh (not from the snapshot an
// open transaction keeps).
func ReadTableStats(ctx context.Context, conn *pgx.Conn, table string) (TableStats, error) {
	var s TableStats
	if _, err := conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		return s, err
	}
	err := conn.QueryRow(ctx, `
		SELECT seq_scan, seq_tup_read, coalesce(idx_scan, 0), coalesce(idx_tup_fetch, 0),
		       n_tup_ins, n_tup_upd, n_tup_del, n_live_tup
		FROM pg_stat_user_tables WHERE relid = $1::regclass`, table).
		Scan(&s.SeqScans, &s.SeqRowsRead, &s.IndexScans, &s.IndexFetchs, &s.Inserted, &s.Updated, &s.Deleted, &s.Live)
	if err != nil {
		return s, fmt.Errorf("read the statistics of %s: %w", table, err)
	}
	return s, nil
}

// Since is what happened to the table between an earlier reading and s.
func (s TableStats) Since(earlier TableStats) TableStats {
	return TableStats{
		SeqScans: s.SeqScans - earlier.SeqScans, SeqRowsRead: s.SeqRowsRead - earlier.SeqRowsRead,
		IndexScans: s.IndexScans - earlier.IndexScans, IndexFetchs: s.IndexFetchs - earlier.IndexFetchs,
		Inserted: s.Inserted - earlier.Inserted, Updated: s.Updated - earlier.Updated,
		Deleted: s.Deleted - earlier.Deleted, Live: s.Live - earlier.Live,
	}
}

// RowsRead is how many rows the table's scans handed out.
func (s TableStats) RowsRead() int64 { return s.SeqRowsRead + s.IndexFetchs }

// Digest sums up the rows a query returns, whatever their order: their
// count and an md5 of their sorted text. Two equal digests mean the same
// rows.
type Digest struct {
	Rows int64
	MD5  string
}

// ReadDigest computes the digest of query's rows.
func ReadDigest(ctx context.Context, conn *pgx.Conn, query string, args ...any) (Digest, error) {
	var d Digest
	err := conn.QueryRow(ctx, `SELECT count(*), md5(coalesce(string_agg(q::text, E'\n' ORDER BY q::text), ''))
		FROM (`+query+`) q`, args...).Scan(&d.Rows, &d.MD5)
	if err != nil {
		return d, fmt.Errorf("sum up the rows of %q: %w", query, err)
	}
	return d, nil
}
