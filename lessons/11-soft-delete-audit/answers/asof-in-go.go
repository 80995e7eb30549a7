//go:build ignore

// Right: the solution with AsOf written in Go: it reads the member's
// entries up to t, oldest first, keeps the last, and decodes its new row
// itself.
//
//dblings:answer passed over=solution
package softdeleteaudit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func AsOf(ctx context.Context, db *pgxpool.Pool, id int64, t time.Time) (Member, error) {
	rows, err := db.Query(ctx, `SELECT new_row::text FROM member_audit
WHERE member_id = $1 AND changed_at <= $2 ORDER BY changed_at, id`, id, t)
	if err != nil {
		return Member{}, err
	}
	entries, err := pgx.CollectRows(rows, pgx.RowTo[*string])
	if err != nil {
		return Member{}, err
	}
	if len(entries) == 0 || entries[len(entries)-1] == nil {
		return Member{}, ErrNotFound
	}
	var row struct {
		ID        int64      `json:"id"`
		Email     string     `json:"email"`
		Name      string     `json:"name"`
		Plan      string     `json:"plan"`
		CreatedAt time.Time  `json:"created_at"`
		DeletedAt *time.Time `json:"deleted_at"`
	}
	if err := json.Unmarshal([]byte(*entries[len(entries)-1]), &row); err != nil {
		return Member{}, err
	}
	return Member(row), nil
}
