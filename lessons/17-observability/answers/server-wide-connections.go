//go:build ignore

// Wrong: counts every row of pg_stat_activity, the whole server's
// sessions and its background processes, against this pool's size.
//
//dblings:answer failed over=solution assertion="connections against the pool size" says="background processes"
package observability

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Connections(ctx context.Context, db *pgxpool.Pool) (ConnUse, error) {
	u := ConnUse{PoolMax: db.Config().MaxConns}
	err := db.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity`).Scan(&u.Open)
	return u, err
}
