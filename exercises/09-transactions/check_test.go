//go:build dblings

package transactions

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/09-transactions/check"
)

// The check itself is lessons/09-transactions/check, compiled once and
// cached; this file hands it your work, your Report converted to its own.
func TestTransactions(t *testing.T) {
	check.Run(t, check.Exercise{
		Transfer: Transfer,
		TakeReport: func(ctx context.Context, db *pgxpool.Pool) (check.Report, error) {
			r, err := TakeReport(ctx, db)
			return check.Report{Balances: r.Balances, Total: r.Total}, err
		},
		ErrInsufficientFunds: ErrInsufficientFunds,
	})
}
