// Package indextypes is lesson 13: four kinds of index, and queries
// written so that Postgres can use them.
package indextypes

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

var (
	// ErrEmailTaken: an account already has this e-mail, in any case.
	ErrEmailTaken = errors.New("e-mail already has an account")
	// ErrNotFound: no account has this e-mail.
	ErrNotFound = errors.New("no account with this e-mail")
)

// migration adds one index per access path. Each is written for the exact
// expression its query uses: Postgres matches an index to a query by the
// expression, not by the column's name.
const migration = `
-- One account per e-mail whatever its case: a unique index on the
-- expression lower(email). It is also the index FindByEmail's
-- lower(email) = lower($1) can use; the old index on email cannot.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- Full text: the document, parsed once and stored, kept up to date by
-- Postgres itself, and a GIN index from each lexeme to the articles
-- that hold it.
ALTER TABLE articles
	ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);

-- Postgres's TTL index: a partial index over the sessions that can
-- expire. The four in five that never do cost it nothing, and the
-- expiry job's expires_at <= $1 implies expires_at IS NOT NULL, so the
-- planner may use it.
CREATE INDEX sessions_expiring_idx ON sessions (expires_at) WHERE expires_at IS NOT NULL;`

// Migrate adds the indexes the functions below need, in one transaction:
// all of them or none.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, migration)
		return err
	})
}

// SignUp creates an account and returns its id. An e-mail that already
// has an account, in any case, makes it fail with ErrEmailTaken.
//
// There is no looking first: the insert asks the unique index, which sees
// every writer, committed or not. A sign-up racing another waits for it
// and then does nothing; RETURNING then gives no row. The conflict target
// names the index's expression, (lower(email)), so that Postgres can find
// the index that decides.
func SignUp(ctx context.Context, db *pgxpool.Pool, email, name string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO users (email, name) VALUES ($1, $2)
ON CONFLICT ((lower(email))) DO NOTHING
RETURNING id`, email, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("sign up %s: %w", email, ErrEmailTaken)
	}
	return id, err
}

// FindByEmail returns the id of the account with this e-mail, whatever
// its case, or ErrNotFound. The query was right all along: lower(email)
// is now the expression of an index.
func FindByEmail(ctx context.Context, db *pgxpool.Pool, email string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `SELECT id FROM users WHERE lower(email) = lower($1)`, email).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNotFound
	}
	return id, err
}

// Search returns the ids of the articles whose body holds every word of
// words, in English full text, in id order. plainto_tsquery turns the
// words into lexemes joined by AND, with the stemming the column used; @@
// on the indexed column is what the GIN index answers.
func Search(ctx context.Context, db *pgxpool.Pool, words string) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT id FROM articles
WHERE search @@ plainto_tsquery('english', $1)
ORDER BY id`, words)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// ExpireSessions is the expiry job: it deletes every session whose
// expires_at is at or before now and returns how many it deleted. The
// time is the caller's, not the server's, so a test (or a job catching up
// after downtime) decides what "now" is; <= includes a session that
// expires at exactly that instant.
func ExpireSessions(ctx context.Context, db *pgxpool.Pool, now time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now)
	return tag.RowsAffected(), err
}
