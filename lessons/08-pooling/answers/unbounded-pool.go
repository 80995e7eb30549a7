//go:build ignore

// Wrong: a pool so large that no request ever waits for a connection. The
// database grants the service 20; at the next burst the pool asks for more
// and the database refuses them with "too many connections".
//
//dblings:answer failed over=solution assertion="pool sized within the budget" says="but the database grants the service 20 connections" alone="an unbounded pool opens a connection per concurrent request and fills the server"
package pooling

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func NewPool(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	cfg.MaxConns = 500
	cfg.MinConns = 2
	cfg.MaxConnLifetime = 30 * time.Minute
	return pgxpool.NewWithConfig(ctx, cfg)
}
