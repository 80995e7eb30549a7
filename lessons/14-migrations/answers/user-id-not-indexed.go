//go:build ignore

// Wrong: every key is declared, and the primary key (project_id, user_id)
// serves the lookups by project. Nothing serves the other direction:
// "the projects of this user", and the check Postgres runs on
// project_members at every DELETE of a user, read the whole table.
//
//dblings:answer failed over=solution assertion="foreign keys indexed" says="project_members (user_id)"
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
				`CREATE INDEX projects_owner_id_idx ON projects (owner_id)`),
			exec(`DROP TABLE projects`),
		),
		goose.NewGoMigration(2,
			exec(`CREATE TABLE project_members (
				project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
				user_id    bigint NOT NULL REFERENCES users (id),
				PRIMARY KEY (project_id, user_id)
			)`),
			exec(`DROP TABLE project_members`),
		),
	}
}
