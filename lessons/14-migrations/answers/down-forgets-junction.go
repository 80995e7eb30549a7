//go:build ignore

// Wrong: one version for both tables, whose down drops projects with
// CASCADE. CASCADE makes the DROP go through by removing the foreign key
// that points at projects, and leaves the junction table itself behind:
// the next up fails on "relation already exists".
//
//dblings:answer failed over=solution assertion="down undoes up" says="relation project_members"
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
				project_id bigint NOT NULL REFERENCES projects (id),
				user_id    bigint NOT NULL REFERENCES users (id),
				PRIMARY KEY (project_id, user_id)
			)`,
				`CREATE INDEX project_members_user_id_idx ON project_members (user_id)`),
			exec(`DROP TABLE projects CASCADE`),
		),
	}
}
