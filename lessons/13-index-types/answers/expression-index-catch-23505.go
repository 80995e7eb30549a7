//go:build ignore

// Right: no stored column: a GIN index on the expression
// to_tsvector('english', body), and a search that repeats that expression
// word for word. SignUp inserts and turns the unique index's refusal
// (23505) into ErrEmailTaken instead of ON CONFLICT: the index decides
// either way.
//
//dblings:answer passed over=solution
package indextypes

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

const migration = `
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX articles_body_fts_idx ON articles USING gin (to_tsvector('english', body));
CREATE INDEX sessions_expiring_idx ON sessions (expires_at) WHERE expires_at IS NOT NULL;`

func SignUp(ctx context.Context, db *pgxpool.Pool, email, name string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id`, email, name).Scan(&id)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return 0, fmt.Errorf("sign up %s: %w", email, ErrEmailTaken)
	}
	return id, err
}

func Search(ctx context.Context, db *pgxpool.Pool, words string) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT id FROM articles
WHERE to_tsvector('english', body) @@ plainto_tsquery('english', $1) ORDER BY id`, words)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
