//go:build ignore

// Wrong: the solution's indexes, but the e-mail index is a plain one, and
// SignUp looks before it inserts. Every look happens before the other
// server's sign-up commits, so all the racers find the e-mail free and
// all get in: nothing in the database says "one account per e-mail".
//
//dblings:answer failed over=solution assertion="one account per e-mail under a race" says="Only a unique index on lower(email) sees every writer"
package indextypes

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

const migration = `
CREATE INDEX users_email_lower_idx ON users (lower(email));
ALTER TABLE articles
	ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX sessions_expiring_idx ON sessions (expires_at) WHERE expires_at IS NOT NULL;`

func SignUp(ctx context.Context, db *pgxpool.Pool, email, name string) (int64, error) {
	var taken bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1))`, email).Scan(&taken)
	if err != nil {
		return 0, err
	}
	if taken {
		return 0, fmt.Errorf("sign up %s: %w", email, ErrEmailTaken)
	}
	var id int64
	err = db.QueryRow(ctx, `INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id`, email, name).Scan(&id)
	return id, err
}
