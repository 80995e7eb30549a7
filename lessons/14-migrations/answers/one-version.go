//go:build ignore

// Right: both tables in a single version, sent as one string of
// statements inside goose's transaction, and a down that drops the
// junction table first. One version is fine while nothing has shipped;
// once it has, a change is a new version.
//
//dblings:answer passed
package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

const schemaUp = `
CREATE TABLE projects (
	id       bigserial PRIMARY KEY,
	owner_id bigint NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
	name     text NOT NULL
);
CREATE INDEX ON projects (owner_id);
CREATE TABLE project_members (
	project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	joined_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (project_id, user_id)
);
CREATE INDEX ON project_members (user_id);`

const schemaDown = `DROP TABLE project_members, projects`

func Migrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(1, inTx(schemaUp), inTx(schemaDown)),
	}
}

func inTx(sqlText string) *goose.GoFunc {
	return &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, sqlText)
		return err
	}}
}
