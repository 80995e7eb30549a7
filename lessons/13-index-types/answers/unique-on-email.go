//go:build ignore

// Wrong: a unique index on email as typed, plus an index on lower(email)
// for the lookup. The lookup is fast, but "ada@example.com" and
// "Ada@Example.com" are different texts to the unique index, so the same
// person gets a second account by typing a capital letter.
//
//dblings:answer failed over=solution assertion="a taken e-mail is refused, whatever its case" says="compares the text as typed"
package indextypes

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const migration = `
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_email_lower_idx ON users (lower(email));
ALTER TABLE articles
	ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX sessions_expiring_idx ON sessions (expires_at) WHERE expires_at IS NOT NULL;`

func SignUp(ctx context.Context, db *pgxpool.Pool, email, name string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO users (email, name) VALUES ($1, $2)
ON CONFLICT (email) DO NOTHING RETURNING id`, email, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("sign up %s: %w", email, ErrEmailTaken)
	}
	return id, err
}
