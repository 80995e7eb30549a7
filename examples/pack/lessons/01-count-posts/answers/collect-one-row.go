//go:build ignore

// Right: the same count read with Query and pgx.CollectOneRow instead of
// QueryRow; still one round trip.
//
//dblings:answer passed
package countposts

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func CountRows(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	rows, err := db.Query(ctx, `SELECT count(*) FROM posts`)
	if err != nil {
		return 0, err
	}
	return pgx.CollectOneRow(rows, pgx.RowTo[int64])
}
