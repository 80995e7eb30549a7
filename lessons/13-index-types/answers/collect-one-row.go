//go:build ignore

// Right: the same count read with Query and pgx.CollectOneRow instead of
// QueryRow; still one round trip.
//
// TODO(author): an example of the format. Replace it with the right answers
// a learner could write that differ from the reference solution: at least
// two.
//
//dblings:answer passed
package indextypes

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	rows, err := db.Query(ctx, `SELECT count(*) FROM sessions`)
	if err != nil {
		return 0, err
	}
	return pgx.CollectOneRow(rows, pgx.RowTo[int64])
}
