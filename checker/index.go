package checker

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// IndexColumn is one key column of an index, in index order.
type IndexColumn struct {
	// Name is the column name, or the expression of an expression index.
	Name       string `json:"name"`
	Descending bool   `json:"descending,omitempty"`
	NullsFirst bool   `json:"nulls_first,omitempty"`
}

// String prints the column as CREATE INDEX would ("created_at DESC").
func (c IndexColumn) String() string {
	if c.Descending {
		return c.Name + " DESC"
	}
	return c.Name
}

// Index describes one index of a table, read from the catalogs.
type Index struct {
	Name  string `json:"name"`
	Table string `json:"table"`
	// Method is the access method: btree, hash, gin, gist, brin.
	Method string `json:"method"`
	// Columns are the key columns, leading column first.
	Columns []IndexColumn `json:"columns"`
	// Include lists the INCLUDE (non-key) columns.
	Include []string `json:"include,omitempty"`
	Unique  bool     `json:"unique,omitempty"`
	Primary bool     `json:"primary,omitempty"`
	// Valid is false while CREATE INDEX CONCURRENTLY is unfinished or after
	// it failed; the planner ignores an invalid index.
	Valid bool `json:"valid"`
	// Predicate is the WHERE clause of a partial index.
	Predicate  string `json:"predicate,omitempty"`
	Definition string `json:"definition"`
	// Scans is pg_stat_all_indexes.idx_scan. A backend reports its counts
	// when it goes idle, at most about once a second, so this lags behind
	// the learner's queries; to know what a query uses, explain it.
	Scans int64 `json:"scans"`
}

// indexQuery reads indexes with their columns in one statement; %s is the
// condition choosing them, on $1.
const indexQuery = `
SELECT ic.relname, tc.relname, am.amname, pg_get_indexdef(i.indexrelid),
       i.indisunique, i.indisprimary, i.indisvalid,
       coalesce(pg_get_expr(i.indpred, i.indrelid, true), ''),
       coalesce(s.idx_scan, 0),
       k.names, k.descs, k.nulls, coalesce(k.includes, '{}')
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
CROSS JOIN LATERAL (
  SELECT array_agg(pg_get_indexdef(i.indexrelid, n, true) ORDER BY n) FILTER (WHERE n <= i.indnkeyatts) AS names,
         array_agg(coalesce(pg_index_column_has_property(i.indexrelid, n, 'desc'), false) ORDER BY n)
           FILTER (WHERE n <= i.indnkeyatts) AS descs,
         array_agg(coalesce(pg_index_column_has_property(i.indexrelid, n, 'nulls_first'), false) ORDER BY n)
           FILTER (WHERE n <= i.indnkeyatts) AS nulls,
         array_agg(pg_get_indexdef(i.indexrelid, n, true) ORDER BY n) FILTER (WHERE n > i.indnkeyatts) AS includes
  FROM generate_series(1, i.indnatts) AS n
) k
WHERE %s
ORDER BY ic.relname`

// LookupIndex reads one index by name (schema-qualified or found through
// the search path). A missing index is a *[NotFoundError].
func LookupIndex(ctx context.Context, db Querier, name string) (*Index, error) {
	idx, err := queryIndexes(ctx, db, "i.indexrelid = to_regclass($1)", name)
	if err != nil {
		return nil, err
	}
	if len(idx) == 0 {
		return nil, &NotFoundError{Kind: "index", Name: name}
	}
	return &idx[0], nil
}

// IndexColumns returns the key columns of an index, leading column first,
// with their order (ASC or DESC). Lessons use it to check that an index
// serves a query: its leading column is the filter column.
func IndexColumns(ctx context.Context, db Querier, indexName string) ([]IndexColumn, error) {
	idx, err := LookupIndex(ctx, db, indexName)
	if err != nil {
		return nil, err
	}
	return idx.Columns, nil
}

// Indexes lists the indexes of a table, by name. A missing table is a
// *[NotFoundError]; a table without indexes gives an empty list.
func Indexes(ctx context.Context, db Querier, table string) ([]Index, error) {
	idx, err := queryIndexes(ctx, db, "i.indrelid = to_regclass($1)", table)
	if err != nil || len(idx) > 0 {
		return idx, err
	}
	var exists bool
	if err := db.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&exists); err != nil {
		return nil, fmt.Errorf("look up table %q: %w", table, err)
	}
	if !exists {
		return nil, &NotFoundError{Kind: "table", Name: table}
	}
	return nil, nil
}

func queryIndexes(ctx context.Context, db Querier, where, name string) ([]Index, error) {
	rows, err := db.Query(ctx, fmt.Sprintf(indexQuery, where), name)
	if err != nil {
		return nil, fmt.Errorf("read indexes of %q: %w", name, err)
	}
	idx, err := pgx.CollectRows(rows, scanIndex)
	if err != nil {
		return nil, fmt.Errorf("read indexes of %q: %w", name, err)
	}
	return idx, nil
}

func scanIndex(row pgx.CollectableRow) (Index, error) {
	var (
		ix                 Index
		names              []string
		descs, nullsFirsts []bool
	)
	err := row.Scan(&ix.Name, &ix.Table, &ix.Method, &ix.Definition,
		&ix.Unique, &ix.Primary, &ix.Valid, &ix.Predicate, &ix.Scans,
		&names, &descs, &nullsFirsts, &ix.Include)
	for i, n := range names {
		ix.Columns = append(ix.Columns, IndexColumn{Name: n, Descending: descs[i], NullsFirst: nullsFirsts[i]})
	}
	return ix, err
}
