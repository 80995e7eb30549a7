//go:build ignore

// Wrong: the solution with the stub's search: ILIKE '%word%' for each
// word. The answers happen to be right on this data, but no index can
// serve a pattern that starts with %: every search reads every article.
//
//dblings:answer failed over=solution assertion="search uses a full-text index" says="no index can answer ILIKE"
package indextypes

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const migration = `
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX sessions_expiring_idx ON sessions (expires_at) WHERE expires_at IS NOT NULL;`

func Search(ctx context.Context, db *pgxpool.Pool, words string) ([]int64, error) {
	var where []string
	var args []any
	for _, w := range strings.Fields(words) {
		args = append(args, "%"+w+"%")
		where = append(where, fmt.Sprintf("body ILIKE $%d", len(args)))
	}
	rows, err := db.Query(ctx, `SELECT id FROM articles WHERE `+strings.Join(where, " AND ")+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
