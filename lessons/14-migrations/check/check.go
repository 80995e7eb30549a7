// Package check is lesson 14's check: it hands the learner's migrations to
// goose, runs them up, down and up again on a copy of the users database,
// and holds the result to a schema whose constraints refuse invalid rows,
// a down that undoes its up exactly, and migrations that leave nothing
// half-done when they fail.
//
// The check lives in a package of its own, compiled once and cached;
// exercises/14-migrations/check_test.go hands it the learner's code, so an
// edit recompiles only the learner's file and that shim.
package check

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/dblings/dblings/checker"
)

// Exercise is what the learner's package gives the check.
type Exercise struct {
	// Migrations lists the learner's versions, oldest first.
	Migrations func() []*goose.Migration
}

// Assertion names, which the answers refer to.
const (
	nameTables     = "up creates the tables"
	nameRefuse     = "the constraints refuse invalid rows"
	nameIndexed    = "foreign keys indexed"
	nameDown       = "down undoes up"
	nameRedo       = "up, down, up: the same schema"
	nameNoHalfDone = "a failed migration leaves nothing behind"
)

// Run is the check of lesson 14.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithWeights(checker.Weights{
		nameTables:     1,
		nameRefuse:     3, // the point of the lesson: keys the database enforces
		nameIndexed:    1,
		nameDown:       2,
		nameRedo:       1,
		nameNoHalfDone: 3,
	}))
	ctx := c.Ctx()
	f := readFacts(c, ctx)

	// goose works on database/sql; this *sql.DB borrows the learner's
	// pool, so every statement goose and the migrations send is traced
	// and runs as the learner's role.
	db := stdlib.OpenDBFromPool(c.Pool())
	defer db.Close()
	p := newProvider(c, db, ex)

	_, err := p.Up(ctx)
	c.RequireNoError("up runs", err)
	migrated := requireTables(c, ctx)

	assertRefusals(c, ctx, f)
	assertIndexedKeys(c, ctx)
	requireDownUndoes(c, ctx, p, f.schema)
	requireRedo(c, ctx, p, migrated)
	assertNoHalfDone(c, ctx, p, migrated)
}

// ---- What the check reads from the data ----

// facts are read from the fixture before any migration runs.
type facts struct {
	owner, member int64  // two users that exist
	missing       int64  // an id no user has
	schema        schema // the catalog as the fixture left it
}

func readFacts(c *checker.Check, ctx context.Context) facts {
	var f facts
	err := c.Admin().QueryRow(ctx, `SELECT min(id), max(id), max(id) + 1 FROM users`).Scan(&f.owner, &f.member, &f.missing)
	c.RequireNoError("read the users", err)
	f.schema = readSchema(c, ctx)
	return f
}

// newProvider builds the goose provider the whole check uses, with the
// learner's migrations only (no global registry, no files).
func newProvider(c *checker.Check, db *sql.DB, ex Exercise) *goose.Provider {
	migrations := ex.Migrations()
	var versions []string
	for _, m := range migrations {
		if m != nil {
			versions = append(versions, fmt.Sprint(m.Version))
		}
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, nil,
		goose.WithGoMigrations(migrations...), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		// Only a refusal is news: accepted migrations earn nothing by
		// themselves, the assertions after up say what they are worth.
		c.Require("goose accepts the migrations", false, fmt.Sprintf("goose refused the migrations (versions %s): %v. "+
			"Each version is a distinct number above 0, built with goose.NewGoMigration", strings.Join(versions, ", "), err),
			checker.Evidence{Details: map[string]any{"versions": versions}})
	}
	return p
}

// ---- The schema after up ----

// wantColumns are the columns the lesson names; others may exist.
var wantColumns = map[string][]string{
	"projects":        {"id", "owner_id", "name"},
	"project_members": {"project_id", "user_id"},
}

// requireTables stops the check unless up made both tables with the
// columns the check writes; it returns the schema up left.
func requireTables(c *checker.Check, ctx context.Context) schema {
	var missing []string
	for _, table := range []string{"projects", "project_members"} {
		var have []string
		rows, err := c.Admin().Query(ctx, `SELECT column_name::text FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name = $1`, table)
		c.RequireNoError("read the columns of "+table, err)
		for rows.Next() {
			var col string
			c.RequireNoError("read the columns of "+table, rows.Scan(&col))
			have = append(have, col)
		}
		c.RequireNoError("read the columns of "+table, rows.Err())
		if len(have) == 0 {
			missing = append(missing, "table "+table)
			continue
		}
		for _, col := range wantColumns[table] {
			if !slices.Contains(have, col) {
				missing = append(missing, table+"."+col)
			}
		}
	}
	msg := "after up, projects (id, owner_id, name) and project_members (project_id, user_id) exist"
	if len(missing) > 0 {
		msg = fmt.Sprintf("after up the database has no %s. Up must create projects (id, owner_id, name) "+
			"and the junction table project_members (project_id, user_id)", strings.Join(missing, ", no "))
	}
	c.Require(nameTables, len(missing) == 0, msg, checker.Evidence{Details: map[string]any{"missing": missing}})
	return readSchema(c, ctx)
}
