//go:build ignore

// Wrong: a partial index fitted to the author the check times. That
// author's page is fast; every other author's page still reads the table.
//
//dblings:answer failed assertion="the index serves every author" says="does not use an index leading with author_id"
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_hot_author_idx ON posts (author_id, created_at DESC) WHERE author_id = 42`)
	return err
}
