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
// The schema, next to the users table the database already has:
//
//	projects         id (generated), owner_id (the user who owns it), name
//	project_members  project_id, user_id: which users work on which project
//
// TODO: a colleague started this. It is not done:
//   - projects.owner_id accepts any number, even one that is no user;
//   - project_members, the junction table between users and projects, is
//     missing: each pair (project, user) at most once, and only pairs of
//     a project and a user that exist;
//   - every version needs a down that undoes exactly what its up did;
//   - look at how exec runs the statements: what if the second one fails?
//
// Run `dblings hint migrations` if you are stuck.
func Migrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(1,
			exec(`CREATE TABLE projects (
				id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				owner_id bigint NOT NULL,
				name     text NOT NULL
			)`),
			exec(`DROP TABLE projects`),
		),
	}
}

// exec is one direction of a migration: it runs stmts, in order.
func exec(stmts ...string) *goose.GoFunc {
	return &goose.GoFunc{RunDB: func(ctx context.Context, db *sql.DB) error {
		for _, s := range stmts {
			if _, err := db.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	}}
}
