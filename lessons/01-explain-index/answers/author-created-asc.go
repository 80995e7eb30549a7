//go:build ignore

// Right: the two columns in the right order, created_at ascending. Postgres
// reads a B-tree backwards as cheaply as forwards, so the index still hands
// one author's posts over newest first and no Sort remains.
//
//dblings:answer passed
package explainindex

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX ON posts (author_id, created_at)`)
	return err
}
