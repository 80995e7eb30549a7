//go:build ignore

// Wrong: the junction table carries each member's role, as an enum type,
// and its down drops the table but not the type. The type outlives the
// table, and the next up stops on "type already exists".
//
//dblings:answer failed over=solution assertion="down undoes up" says="type project_role"
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
			exec(`CREATE TYPE project_role AS ENUM ('member', 'maintainer', 'admin')`,
				`CREATE TABLE project_members (
				project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
				user_id    bigint NOT NULL REFERENCES users (id),
				role       project_role NOT NULL DEFAULT 'member',
				PRIMARY KEY (project_id, user_id)
			)`,
				`CREATE INDEX project_members_user_id_idx ON project_members (user_id)`),
			exec(`DROP TABLE project_members`),
		),
	}
}
