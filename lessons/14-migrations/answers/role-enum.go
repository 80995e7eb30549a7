//go:build ignore

// Right: the reference schema with a few choices of its own. Each member's
// role is an enum type, which the down drops after the table that used
// it. The pair is unique through a bare unique index, (user_id,
// project_id), which also serves the lookups by user; the key to projects
// is checked at commit (DEFERRABLE INITIALLY DEFERRED) and has its own
// index.
//
//dblings:answer passed over=solution
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
				project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
				user_id    bigint NOT NULL REFERENCES users (id),
				role       project_role NOT NULL DEFAULT 'member'
			)`,
				`CREATE UNIQUE INDEX project_members_pair_idx ON project_members (user_id, project_id)`,
				`CREATE INDEX project_members_project_id_idx ON project_members (project_id)`),
			exec(`DROP TABLE project_members`, `DROP TYPE project_role`),
		),
	}
}
