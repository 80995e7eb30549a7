//go:build ignore

// Wrong: the junction table has a surrogate id as its primary key and
// nothing else unique, so the same user joins the same project twice, and
// every count of members is off from then on.
//
//dblings:answer failed over=solution assertion="the constraints refuse invalid rows" says="twice"
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
				id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
				user_id    bigint NOT NULL REFERENCES users (id)
			)`,
				`CREATE INDEX project_members_project_id_idx ON project_members (project_id)`,
				`CREATE INDEX project_members_user_id_idx ON project_members (user_id)`),
			exec(`DROP TABLE project_members`),
		),
	}
}
