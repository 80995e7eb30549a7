//go:build ignore

// Wrong: owner_id references users but may be NULL. A foreign key checks
// only the values that are there: a NULL passes it, and the project has
// no owner at all.
//
//dblings:answer failed over=solution assertion="the constraints refuse invalid rows" says="a project with no owner"
package migrations

import "github.com/pressly/goose/v3"

func Migrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(1,
			exec(`CREATE TABLE projects (
				id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				owner_id bigint REFERENCES users (id),
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
			)`,
				`CREATE INDEX project_members_user_id_idx ON project_members (user_id)`),
			exec(`DROP TABLE project_members`),
		),
	}
}
