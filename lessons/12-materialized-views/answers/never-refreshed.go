//go:build ignore

// Wrong: the materialized view is created and read, and never refreshed:
// "the numbers only need to be roughly right". They stay those of the day
// the view was created.
//
//dblings:answer failed over=solution assertion="exact after a refresh" says="numbers from before the writes"
package materializedviews

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Refresh(ctx context.Context, db *pgxpool.Pool) error {
	return nil
}
