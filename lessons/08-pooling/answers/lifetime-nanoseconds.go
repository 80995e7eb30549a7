//go:build ignore

// Wrong: "retire connections after 30 minutes", written without a unit. A
// time.Duration counts nanoseconds, so every connection is too old by the
// time it is handed out: pgxpool closes it and tries another, until no
// request gets a connection at all.
//
//dblings:answer failed over=solution assertion="pool sized within the budget" says="counts nanoseconds"
package pooling

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func NewPool(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	cfg.MaxConns = 10
	cfg.MinConns = 2
	cfg.MaxConnLifetime = 30 // minutes
	return pgxpool.NewWithConfig(ctx, cfg)
}
