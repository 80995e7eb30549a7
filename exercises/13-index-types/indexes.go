// Package indextypes is lesson 13: four kinds of index, and queries
// written so that Postgres can use them.
package indextypes

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// Migrate adds the indexes the functions below need. The check runs it
// once, on the fixture's data, before it calls anything else.
//
// TODO: there is one index beyond the keys, users_email_idx on
// users (email), and it helps none of the queries below. Add, in SQL:
//   - a unique index that makes an e-mail one account whatever its case;
//   - a full-text index for Search (a tsvector and a GIN index);
//   - an index for ExpireSessions that holds only the sessions that can
//     expire (most never do: their expires_at is NULL).
//
// Run `dblings hint index-types` if you are stuck.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return nil
}

// SignUp creates an account and returns its id. An e-mail that already
// has an account, in any case ("Ada@Example.com" and "ada@example.com"
// are one address), makes it fail with ErrEmailTaken.
//
// TODO: it looks, then inserts. Two sign-ups at the same moment both look
// before either has inserted, and both get in. Let a unique index decide.
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

// FindByEmail returns the id of the account with this e-mail, whatever
// its case, or ErrNotFound.
//
// TODO: the answer is right, and users_email_idx is on email, yet
// EXPLAIN shows a Seq Scan. Why? Fix the index, not this query.
func FindByEmail(ctx context.Context, db *pgxpool.Pool, email string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `SELECT id FROM users WHERE lower(email) = lower($1)`, email).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNotFound
	}
	return id, err
}

// Search returns the ids of the articles whose body holds every word of
// words, in English full text (a search for "refund" also finds
// "refunds" and "refunded"), in id order.
//
// TODO: ILIKE '%…%' reads every article, and no B-tree can help it. Use
// full-text search, backed by the index Migrate adds.
func Search(ctx context.Context, db *pgxpool.Pool, words string) ([]int64, error) {
	var where []string
	var args []any
	for _, w := range strings.Fields(words) {
		args = append(args, "%"+w+"%")
		where = append(where, fmt.Sprintf("body ILIKE $%d", len(args)))
	}
	if len(where) == 0 {
		return nil, nil
	}
	rows, err := db.Query(ctx, `SELECT id FROM articles WHERE `+strings.Join(where, " AND ")+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// ExpireSessions is the expiry job: it deletes every session whose
// expires_at is at or before now, the time the job runs at, and returns
// how many it deleted. Sessions with no expires_at never expire.
//
// TODO: it asks the server for the time instead of using now, so the
// check's clock means nothing to it; and with no index it reads every
// session at every run.
func ExpireSessions(ctx context.Context, db *pgxpool.Pool, now time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= now()`)
	return tag.RowsAffected(), err
}
