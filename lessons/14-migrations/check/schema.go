package check

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
)

// schema is the catalog of the public schema as sorted lines, one per
// relation, column, constraint, index, trigger, type and function. goose's
// own version table is left out: it is goose's bookkeeping, created by the
// first up and kept by every down.
type schema []string

// schemaQuery is the check's own reading of the catalog. Generated names
// (projects_owner_id_fkey) are part of it: the same up gives the same
// names, so up, down, up must come back to identical lines.
const schemaQuery = `
WITH rels AS (
	SELECT c.oid, c.relname, c.relkind FROM pg_class c
	WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
	  AND c.relname NOT LIKE 'goose\_db\_version%'
)
SELECT 'relation ' || relname || ' (kind ' || relkind::text || ')' FROM rels
UNION ALL
SELECT 'column ' || r.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
	|| CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
	|| CASE WHEN a.attidentity <> '' THEN ' identity' ELSE '' END
	|| coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
WHERE r.relkind <> 'S'
UNION ALL
SELECT 'constraint ' || r.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
FROM rels r JOIN pg_constraint con ON con.conrelid = r.oid
UNION ALL
SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM rels r JOIN pg_index i ON i.indrelid = r.oid
UNION ALL
SELECT 'trigger ' || r.relname || '.' || t.tgname FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
UNION ALL
SELECT 'type ' || t.typname || coalesce(' (' || (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
	FROM pg_enum e WHERE e.enumtypid = t.oid) || ')', '')
FROM pg_type t WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd')
UNION ALL
SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace`

// readSchema reads the catalog with the check's own connection.
func readSchema(c *checker.Check, ctx context.Context) schema {
	rows, err := c.Admin().Query(ctx, schemaQuery)
	c.RequireNoError("read the catalog", err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	c.RequireNoError("read the catalog", err)
	slices.Sort(lines)
	return lines
}

// diff says what later has that s lacks (added) and what s has that later
// lacks (removed).
func (s schema) diff(later schema) (added, removed []string) {
	for _, l := range later {
		if _, found := slices.BinarySearch(s, l); !found {
			added = append(added, l)
		}
	}
	for _, l := range s {
		if _, found := slices.BinarySearch(later, l); !found {
			removed = append(removed, l)
		}
	}
	return added, removed
}

// kindOrder puts whole objects before their parts in a message: "relation
// project_members" says more than its third column.
var kindOrder = []string{"relation ", "type ", "function ", "constraint ", "index ", "trigger ", "column "}

func kindRank(line string) int {
	for i, k := range kindOrder {
		if strings.HasPrefix(line, k) {
			return i
		}
	}
	return len(kindOrder)
}

// list writes catalog lines for a message, whole objects first, the first
// few of them.
func list(lines []string) string {
	const shown = 6
	lines = slices.Clone(lines)
	slices.SortStableFunc(lines, func(a, b string) int { return kindRank(a) - kindRank(b) })
	if len(lines) <= shown {
		return strings.Join(lines, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(lines[:shown], "; "), len(lines)-shown)
}

// schemaEvidence carries both sides of a comparison.
func schemaEvidence(added, removed []string) checker.Evidence {
	return checker.Evidence{
		Counts:  map[string]int64{"added": int64(len(added)), "removed": int64(len(removed))},
		Details: map[string]any{"added": added, "removed": removed},
	}
}
