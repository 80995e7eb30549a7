//go:build ignore

// Wrong: the unique index decides, and SignUp just inserts, but it hands
// the index's refusal (SQLSTATE 23505) to its caller as it is. The data
// is right; the caller cannot tell "taken" from a broken database.
//
//dblings:answer failed over=solution assertion="the race's losers get ErrEmailTaken" says="SQLSTATE 23505"
package indextypes

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func SignUp(ctx context.Context, db *pgxpool.Pool, email, name string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id`, email, name).Scan(&id)
	return id, err
}
