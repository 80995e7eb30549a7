package check

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
)

// codeNotNull is the SQLSTATE of a NULL where NOT NULL is declared.
const codeNotNull = "23502"

// probe is one invalid row the schema must refuse, and how.
type probe struct {
	what string // the row, in words
	sql  string
	args []any
	code string // the SQLSTATE that refuses it
	fix  string // what refuses it, for the message
}

// assertRefusals writes one valid project with one member, then each
// invalid row in turn, all in a transaction it rolls back: the database,
// not the application, must refuse them.
func assertRefusals(c *checker.Check, ctx context.Context, f facts) {
	tx, err := c.Admin().Begin(ctx)
	c.RequireNoError("begin the check's transaction", err)
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	// A deferred constraint checks at COMMIT, which this transaction
	// never reaches: ask for every check at once.
	_, err = tx.Exec(ctx, `SET CONSTRAINTS ALL IMMEDIATE`)
	c.RequireNoError("set the constraints immediate", err)
	var project, noProject int64
	err = tx.QueryRow(ctx, `INSERT INTO projects (owner_id, name) VALUES ($1, 'dblings check') RETURNING id`, f.owner).Scan(&project)
	if err == nil {
		_, err = tx.Exec(ctx, `INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)`, project, f.member)
	}
	if err == nil {
		err = tx.QueryRow(ctx, `SELECT max(id) + 1 FROM projects`).Scan(&noProject)
	}
	if err != nil {
		c.Assert(nameRefuse, false, fmt.Sprintf("a valid project of user %d with user %d as its member was refused: %v. "+
			"The check writes projects (owner_id, name) and project_members (project_id, user_id) only: "+
			"id must be generated, and any other column needs a default", f.owner, f.member, err),
			checker.Evidence{Details: map[string]any{"error": err.Error()}})
		return
	}

	ps := probes(f, project, noProject)
	var wrong []string
	for _, p := range ps {
		if why := try(ctx, tx, p); why != "" {
			wrong = append(wrong, why)
		}
	}
	msg := fmt.Sprintf("the database refused all %d invalid rows, each with the constraint made for it", len(ps))
	if len(wrong) > 0 {
		msg = strings.Join(wrong, ". ")
	}
	c.Assert(nameRefuse, len(wrong) == 0, msg, checker.Evidence{
		Counts: map[string]int64{"invalid_rows": int64(len(ps)), "accepted_or_misjudged": int64(len(wrong))},
	})
}

// probes are the invalid rows, built from ids read from the data: project
// is the check's valid project, noProject an id no project has.
func probes(f facts, project, noProject int64) []probe {
	fk := "a foreign key (SQLSTATE 23503)"
	return []probe{
		{what: fmt.Sprintf("a project owned by user %d, who does not exist (an orphan)", f.missing),
			sql: `INSERT INTO projects (owner_id, name) VALUES ($1, 'orphan')`, args: []any{f.missing},
			code: checker.CodeForeignKeyViolation, fix: fk + ": owner_id bigint NOT NULL REFERENCES users (id)"},
		{what: "a project with no owner (owner_id NULL)",
			sql:  `INSERT INTO projects (owner_id, name) VALUES (NULL, 'nobody''s')`,
			code: codeNotNull, fix: "NOT NULL on owner_id (SQLSTATE 23502)"},
		{what: fmt.Sprintf("a membership of user %d, who does not exist (an orphan)", f.missing),
			sql: `INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)`, args: []any{project, f.missing},
			code: checker.CodeForeignKeyViolation, fix: fk + ": user_id REFERENCES users (id)"},
		{what: fmt.Sprintf("a membership of project %d, which does not exist (an orphan)", noProject),
			sql: `INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)`, args: []any{noProject, f.owner},
			code: checker.CodeForeignKeyViolation, fix: fk + ": project_id REFERENCES projects (id)"},
		{what: fmt.Sprintf("user %d on project %d twice", f.member, project),
			sql: `INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)`, args: []any{project, f.member},
			code: checker.CodeUniqueViolation, fix: "a primary key or unique constraint on (project_id, user_id) (SQLSTATE 23505)"},
	}
}

// try writes p's row inside a savepoint and says what went wrong, or ""
// when the database refused it as it should.
func try(ctx context.Context, tx pgx.Tx, p probe) string {
	sp, err := tx.Begin(ctx) // a savepoint: a refusal must not end the transaction
	if err != nil {
		return fmt.Sprintf("the check could not open a savepoint: %v", err)
	}
	defer func() { _ = sp.Rollback(context.WithoutCancel(ctx)) }()
	_, err = sp.Exec(ctx, p.sql, p.args...)
	code := checker.SQLState(err)
	switch {
	case err == nil:
		return fmt.Sprintf("the database accepted %s: declare %s", p.what, p.fix)
	case code == p.code:
		return ""
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return fmt.Sprintf("writing %s did not finish: %v", p.what, err)
	default:
		return fmt.Sprintf("%s was refused, but by SQLSTATE %s (%s) rather than by %s", p.what, code, checker.OneLine(err.Error()), p.fix)
	}
}

// assertIndexedKeys reads every foreign key of the two tables and looks
// for an index that starts with its columns. Postgres indexes the
// referenced side (a primary key) by itself, never the referencing side:
// without one, "the projects of this user" and every DELETE of a user
// read the whole junction table.
func assertIndexedKeys(c *checker.Check, ctx context.Context) {
	rows, err := c.Admin().Query(ctx, `
		SELECT con.conrelid::regclass::text,
		       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
		        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
		       EXISTS (SELECT 1 FROM pg_index i
		               WHERE i.indrelid = con.conrelid AND i.indpred IS NULL AND i.indnkeyatts >= cardinality(con.conkey)
		                 AND (SELECT array_agg(x ORDER BY x) FROM unnest((i.indkey::int2[])[0:cardinality(con.conkey) - 1]) x)
		                   = (SELECT array_agg(x ORDER BY x) FROM unnest(con.conkey) x))
		FROM pg_constraint con
		WHERE con.contype = 'f' AND con.conrelid IN ('projects'::regclass, 'project_members'::regclass)
		ORDER BY 1, 2`)
	c.RequireNoError("read the foreign keys", err)
	var keys, bare []string
	var table, cols string
	var indexed bool
	_, err = pgx.ForEachRow(rows, []any{&table, &cols, &indexed}, func() error {
		keys = append(keys, table+" ("+cols+")")
		if !indexed {
			bare = append(bare, table+" ("+cols+")")
		}
		return nil
	})
	c.RequireNoError("read the foreign keys", err)
	msg := fmt.Sprintf("every foreign key has an index that starts with its columns: %s", strings.Join(keys, ", "))
	switch {
	case len(keys) == 0:
		msg = "projects and project_members have no foreign key to index"
	case len(bare) > 0:
		msg = fmt.Sprintf("no index starts with the foreign key %s. Postgres indexes the referenced side (a primary key), "+
			"never the referencing one: listing a user's projects and every DELETE of a user would read the whole table. "+
			"CREATE INDEX ON %s", strings.Join(bare, ", no index starts with "), bare[0])
	}
	c.Assert(nameIndexed, len(bare) == 0, msg, checker.Evidence{Details: map[string]any{"foreign_keys": keys, "not_indexed": bare}})
}
