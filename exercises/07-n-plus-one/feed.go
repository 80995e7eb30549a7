// Package nplusone is lesson 7: a forum's front page, and the author
// lookups of a GraphQL-style API, without one query per row.
package nplusone

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PostSummary is one line of the front page.
type PostSummary struct {
	ID        int64
	Title     string
	CreatedAt time.Time
	AuthorID  int64
	Author    string // the author's name
	Comments  int64  // how many comments the post has; 0 when nobody answered
}

// NewestPosts is the front page's query: the newest posts, newest first,
// the id breaking ties. Keep its order and its LIMIT if you rewrite it.
const NewestPosts = `SELECT id, title, created_at, author_id
FROM posts
ORDER BY created_at DESC, id DESC
LIMIT $1`

// FrontPage returns the newest limit posts, newest first, each with its
// author's name and its number of comments.
//
// TODO: it is right, but it sends 1 + 2N queries: one for the posts, then
// one for each post's author and one for each post's comment count, 201 for
// a page of 100. Build the same page in at most 2 queries. Run
// `dblings hint n-plus-one` if you are stuck.
func FrontPage(ctx context.Context, db *pgxpool.Pool, limit int) ([]PostSummary, error) {
	rows, err := db.Query(ctx, NewestPosts, limit)
	if err != nil {
		return nil, err
	}
	page, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PostSummary, error) {
		var p PostSummary
		err := row.Scan(&p.ID, &p.Title, &p.CreatedAt, &p.AuthorID)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	for i := range page {
		p := &page[i]
		if err := db.QueryRow(ctx, `SELECT name FROM users WHERE id = $1`, p.AuthorID).Scan(&p.Author); err != nil {
			return nil, fmt.Errorf("author of post %d: %w", p.ID, err)
		}
		if err := db.QueryRow(ctx, `SELECT count(*) FROM comments WHERE post_id = $1`, p.ID).Scan(&p.Comments); err != nil {
			return nil, fmt.Errorf("comments of post %d: %w", p.ID, err)
		}
	}
	return page, nil
}

// Author is a user as the API shows them.
type Author struct {
	ID   int64
	Name string
}

// ErrNotFound is what Load returns, wrapped or not, for an id that belongs
// to no user.
var ErrNotFound = errors.New("no such author")

// AuthorLoader fetches authors for the resolvers of one API request. A
// GraphQL server resolves every post's author field in its own goroutine,
// all at about the same moment; a loader lets those calls share queries.
// Make one per request with NewAuthorLoader.
type AuthorLoader struct {
	ctx  context.Context
	db   *pgxpool.Pool
	wait time.Duration
}

// NewAuthorLoader returns a loader for one request: ctx is the request's,
// and wait is the tick, how long a batch collects ids before it is sent.
func NewAuthorLoader(ctx context.Context, db *pgxpool.Pool, wait time.Duration) *AuthorLoader {
	return &AuthorLoader{ctx: ctx, db: db, wait: wait}
}

// Load returns the author with the given id, or an error wrapping
// ErrNotFound. It is called from many goroutines at once.
//
// TODO: a loader in name only: each call sends its own query, so 50
// resolvers make 50 queries. Collect the ids that arrive within one tick
// (l.wait) and fetch them all with one query, then hand each caller its
// own author.
func (l *AuthorLoader) Load(ctx context.Context, id int64) (Author, error) {
	a := Author{ID: id}
	err := l.db.QueryRow(ctx, `SELECT name FROM users WHERE id = $1`, id).Scan(&a.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return Author{}, fmt.Errorf("author %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Author{}, err
	}
	return a, nil
}
