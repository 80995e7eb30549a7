//go:build ignore

// Wrong: the materialized view and its unique index, but a plain REFRESH.
// It takes an ACCESS EXCLUSIVE lock on the view for the whole
// recomputation: every reader of the dashboard waits until it is done.
//
//dblings:answer failed over=solution assertion="readers not blocked by the refresh" says="REFRESH MATERIALIZED VIEW CONCURRENTLY sales_dashboard"
package materializedviews

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Refresh(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `REFRESH MATERIALIZED VIEW sales_dashboard`)
	return err
}
