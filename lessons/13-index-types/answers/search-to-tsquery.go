//go:build ignore

// Wrong: to_tsquery instead of plainto_tsquery. to_tsquery reads its
// argument as a query with operators (&, |, !), so two words typed with a
// space between them are a syntax error, and every search of more than
// one word fails. User input goes through plainto_tsquery or
// websearch_to_tsquery.
//
//dblings:answer failed over=solution assertion="search finds the matching articles" says="syntax error in tsquery"
package indextypes

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Search(ctx context.Context, db *pgxpool.Pool, words string) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT id FROM articles
WHERE search @@ to_tsquery('english', $1) ORDER BY id`, words)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
