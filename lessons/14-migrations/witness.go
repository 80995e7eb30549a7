// Package migrations is lesson 14's second witness. After the check it
// reads, as the superuser, what the learner's migrations left in the
// catalog: the foreign keys and the unique pair that make the schema
// refuse invalid rows, goose's version table at a version that matches
// the tables, and the users table as it was.
package migrations

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/witness"
)

// usersRows is the witness's own copy of the rows it keeps an eye on.
const usersRows = `SELECT * FROM users`

// look is what the witness reads before the check.
type look struct {
	catalog witness.Catalog
	rows    witness.Digest
}

// Witness is lesson 14's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, lookAt, judge)
}

func lookAt(ctx context.Context, conn *pgx.Conn) (look, error) {
	var l look
	var err error
	if l.catalog, err = witness.ReadCatalog(ctx, conn, "users"); err != nil {
		return l, err
	}
	l.rows, err = witness.ReadDigest(ctx, conn, usersRows)
	return l, err
}

func judge(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
	users, err := usersFact(ctx, conn, before)
	if err != nil {
		return nil, err
	}
	keys, err := keysFact(ctx, conn)
	if err != nil {
		return nil, err
	}
	version, err := versionFact(ctx, conn)
	if err != nil {
		return nil, err
	}
	return []witness.Fact{users, keys, version}, nil
}

// usersFact: the migrations add tables beside users and change nothing of
// it; the check's rows were rolled back.
func usersFact(ctx context.Context, conn *pgx.Conn, before look) (witness.Fact, error) {
	after, err := lookAt(ctx, conn)
	if err != nil {
		return witness.Fact{}, err
	}
	lost := before.catalog.Lost(after.catalog)
	no := "the rows of users changed during the check; migrations that add tables leave them as they are"
	if len(lost) > 0 {
		no = "users lost or changed its keys or indexes: " + strings.Join(lost, "; ")
	}
	return witness.Holds("database: users as it was", len(lost) == 0 && after.rows == before.rows,
		"users has its rows, keys and indexes as before the check", no), nil
}

// wantKeys are the foreign keys the schema must have, as "table(columns)
// -> referenced(columns)".
var wantKeys = []string{
	"projects(owner_id) -> users(id)",
	"project_members(project_id) -> projects(id)",
	"project_members(user_id) -> users(id)",
}

// keysFact reads the catalog: the three foreign keys in pg_constraint,
// and a unique index (a primary key, a unique constraint or a bare unique
// index) on exactly the pair of the junction table in pg_index.
func keysFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	rows, err := conn.Query(ctx, `
		SELECT format('%s(%s) -> %s(%s)', con.conrelid::regclass,
		       (SELECT string_agg(a.attname, ',' ORDER BY a.attname) FROM pg_attribute a
		        WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)),
		       con.confrelid::regclass,
		       (SELECT string_agg(a.attname, ',' ORDER BY a.attname) FROM pg_attribute a
		        WHERE a.attrelid = con.confrelid AND a.attnum = ANY (con.confkey)))
		FROM pg_constraint con
		WHERE con.contype = 'f' AND con.conrelid IN (
			SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace
			AND relname IN ('projects', 'project_members'))`)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the foreign keys: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the foreign keys: %w", err)
	}
	var pairUnique bool
	err = conn.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
			WHERE c.relnamespace = 'public'::regnamespace AND c.relname = 'project_members'
			  AND i.indisunique AND i.indpred IS NULL AND i.indnkeyatts = 2
			  AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a
			       WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey::int2[]))
			    = ARRAY['project_id', 'user_id'])`).Scan(&pairUnique)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the indexes of project_members: %w", err)
	}
	var missing []string
	for _, k := range wantKeys {
		if !slices.Contains(found, k) {
			missing = append(missing, "the foreign key "+k)
		}
	}
	if !pairUnique {
		missing = append(missing, "unique index on project_members (project_id, user_id)")
	}
	return witness.Holds("database: foreign keys and a unique pair", len(missing) == 0,
		"pg_constraint holds the three foreign keys, and pg_index a unique index on the pair of the junction table",
		"the catalog has no "+strings.Join(missing, ", no ")), nil
}

// versionFact reads goose's version table the way goose does (the newest
// row of each version says whether it is applied): some version is
// applied, and the tables it made exist.
func versionFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	var table *string
	if err := conn.QueryRow(ctx, `SELECT to_regclass('public.goose_db_version')::text`).Scan(&table); err != nil {
		return witness.Fact{}, fmt.Errorf("look for goose_db_version: %w", err)
	}
	const name = "database: goose's version table matches the schema"
	if table == nil {
		return witness.Holds(name, false, "", "there is no goose_db_version: goose never ran"), nil
	}
	var current int64
	var tables int
	err := conn.QueryRow(ctx, `
		SELECT coalesce(max(version_id) FILTER (WHERE is_applied), 0),
		       (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace
		          AND relname IN ('projects', 'project_members') AND relkind IN ('r', 'p'))
		FROM (SELECT DISTINCT ON (version_id) version_id, is_applied FROM goose_db_version
		      ORDER BY version_id, id DESC) AS latest`).Scan(&current, &tables)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read goose_db_version: %w", err)
	}
	return witness.Holds(name, current > 0 && tables == 2,
		fmt.Sprintf("goose_db_version says version %d is applied, and projects and project_members exist", current),
		fmt.Sprintf("goose_db_version says version %d, and %d of projects and project_members exist", current, tables)), nil
}
