//go:build dblings

package materializedviews

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/12-materialized-views/check"
)

// The check itself is lessons/12-materialized-views/check, compiled once and
// cached; this file hands it your work. Your DashboardRows and NewOrders are
// converted, field for field, to and from the check's own copies.
func TestMaterializedViews(t *testing.T) {
	check.Run(t, check.Exercise{
		Migrate: Migrate,
		Dashboard: func(ctx context.Context, db *pgxpool.Pool) ([]check.DashboardRow, error) {
			got, err := Dashboard(ctx, db)
			out := make([]check.DashboardRow, len(got))
			for i, r := range got {
				out[i] = check.DashboardRow(r)
			}
			return out, err
		},
		PlaceOrder: func(ctx context.Context, db *pgxpool.Pool, o check.NewOrder) (int64, error) {
			return PlaceOrder(ctx, db, NewOrder(o))
		},
		Refresh: Refresh,
	})
}
