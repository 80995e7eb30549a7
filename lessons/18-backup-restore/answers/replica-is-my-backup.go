//go:build ignore

// Wrong: "we have a replica, that is our backup". The replica applied the
// DROP moments after the primary did.
//
//dblings:answer failed assertion="the server is a restore, not a replica" says="a replica, which applied the DROP"
package backuprestore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker/vault"
)

func Restore(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (Recovery, error) {
	start := time.Now()
	url, err := v.Replica(ctx)
	if err != nil {
		return Recovery{}, err
	}
	return Recovery{Server: url, RTO: time.Since(start)}, nil
}
