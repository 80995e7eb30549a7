//go:build ignore

// Wrong: the columns and the unique pair are right, but nothing ties them
// to the rows they name: "the application checks that the user exists".
// Any other writer (a script, a second service, a bug) leaves orphans.
//
//dblings:answer failed over=solution assertion="the constraints refuse invalid rows" says="(an orphan)"
package migrations

import "github.com/pressly/goose/v3"

func Migrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(1,
			exec(`CREATE TABLE projects (
				id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				owner_id bigint NOT NULL,
				name     text NOT NULL
			)`,
				`CREATE INDEX projects_owner_id_idx ON projects (owner_id)`),
			exec(`DROP TABLE projects`),
		),
		goose.NewGoMigration(2,
			exec(`CREATE TABLE project_members (
				project_id bigint NOT NULL,
				user_id    bigint NOT NULL,
				PRIMARY KEY (project_id, user_id)
			)`,
				`CREATE INDEX project_members_user_id_idx ON project_members (user_id)`),
			exec(`DROP TABLE project_members`),
		),
	}
}
