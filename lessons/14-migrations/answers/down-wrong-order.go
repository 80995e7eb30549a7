//go:build ignore

// Wrong: one version for both tables, whose down drops them in the order
// up created them. project_members still points at projects, so Postgres
// refuses to drop projects; the down's transaction rolls back and the
// schema can never go back to version 0.
//
//dblings:answer failed over=solution assertion="down undoes up" says="down failed"
package migrations

import "github.com/pressly/goose/v3"

func Migrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(1,
			exec(`CREATE TABLE projects (
				id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				owner_id bigint NOT NULL REFERENCES users (id),
				name     text NOT NULL
			)`,
				`CREATE INDEX projects_owner_id_idx ON projects (owner_id)`,
				`CREATE TABLE project_members (
				project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
				user_id    bigint NOT NULL REFERENCES users (id),
				PRIMARY KEY (project_id, user_id)
			)`,
				`CREATE INDEX project_members_user_id_idx ON project_members (user_id)`),
			exec(`DROP TABLE projects`, `DROP TABLE project_members`),
		),
	}
}
