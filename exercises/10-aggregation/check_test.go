//go:build dblings

package aggregation

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/10-aggregation/check"
)

// The check itself is lessons/10-aggregation/check, compiled once and
// cached; this file hands it your work. Your lines are converted, field for
// field, to the check's own copies of your types (a nil slice stays nil).
func TestAggregation(t *testing.T) {
	check.Run(t, check.Exercise{
		RevenueByStatus: func(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]check.StatusMonth, error) {
			got, err := RevenueByStatus(ctx, db, from, to)
			if got == nil {
				return nil, err
			}
			out := make([]check.StatusMonth, len(got))
			for i, l := range got {
				out[i] = check.StatusMonth(l)
			}
			return out, err
		},
		RevenueRunningTotal: func(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]check.MonthTotal, error) {
			got, err := RevenueRunningTotal(ctx, db, from, to)
			if got == nil {
				return nil, err
			}
			out := make([]check.MonthTotal, len(got))
			for i, l := range got {
				out[i] = check.MonthTotal(l)
			}
			return out, err
		},
		TopProducts: func(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]check.CategoryTop, error) {
			got, err := TopProducts(ctx, db, from, to)
			if got == nil {
				return nil, err
			}
			out := make([]check.CategoryTop, len(got))
			for i, l := range got {
				out[i] = check.CategoryTop(l)
			}
			return out, err
		},
	})
}
