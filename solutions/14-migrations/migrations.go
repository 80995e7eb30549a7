// Package migrations is lesson 14: the schema of projects and their members,
// written as versioned migrations that goose applies and rolls back.
package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

// Migrations are the schema's versions, oldest first. goose applies them in
// order (up) and undoes them in reverse order (down), and records each
// applied version in its table goose_db_version.
//
// One version per table: each can be rolled back on its own, and a
// version, once shipped, is never edited again; a change is a new version.
func Migrations() []*goose.Migration {
	return []*goose.Migration{
		// One-to-many: a user owns many projects. The foreign key makes the
		// database refuse a project whose owner is no user, whatever code
		// writes it; Postgres does not index the referencing side by
		// itself, so the index that lists a user's projects is ours to add.
		goose.NewGoMigration(1,
			exec(`CREATE TABLE projects (
				id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				owner_id bigint NOT NULL REFERENCES users (id),
				name     text NOT NULL
			)`,
				`CREATE INDEX projects_owner_id_idx ON projects (owner_id)`),
			exec(`DROP TABLE projects`),
		),
		// Many-to-many: the junction table holds one row per pair. Its
		// primary key makes a pair unique and serves "the members of a
		// project"; "the projects of a user" needs the index on user_id.
		// A project's memberships go with it; a user who still works on a
		// project cannot be deleted.
		goose.NewGoMigration(2,
			exec(`CREATE TABLE project_members (
				project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
				user_id    bigint NOT NULL REFERENCES users (id),
				PRIMARY KEY (project_id, user_id)
			)`,
				`CREATE INDEX project_members_user_id_idx ON project_members (user_id)`),
			// Dropping the table drops its indexes and foreign keys with it.
			exec(`DROP TABLE project_members`),
		),
	}
}

// exec is one direction of a migration: it runs stmts, in order, inside
// the transaction goose opened for the migration. Postgres runs DDL in
// transactions, so a statement that fails takes the ones before it back
// with it, and so does a failure of goose's own record of the version:
// the schema and goose_db_version never disagree.
func exec(stmts ...string) *goose.GoFunc {
	return &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	}}
}
