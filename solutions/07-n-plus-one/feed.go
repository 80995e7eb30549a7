// Package nplusone is lesson 7: a forum's front page, and the author
// lookups of a GraphQL-style API, without one query per row.
package nplusone

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
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

// frontPage is NewestPosts with the author and the comment count folded
// in. The author is a JOIN: exactly one per post. The count is a
// subquery per post rather than a JOIN on comments, for two reasons: a
// JOIN would repeat each post once per comment (and lose, or miscount, the
// posts nobody answered), and the subquery runs only for the rows that
// survive the LIMIT, so the page reads the comments of its own posts
// through comments_post_id_idx, not the whole table.
const frontPage = `SELECT p.id, p.title, p.created_at, p.author_id, u.name,
       (SELECT count(*) FROM comments c WHERE c.post_id = p.id) AS comments
FROM posts p
JOIN users u ON u.id = p.author_id
ORDER BY p.created_at DESC, p.id DESC
LIMIT $1`

// FrontPage returns the newest limit posts, newest first, each with its
// author's name and its number of comments: one query, one round trip,
// whatever the size of the page.
func FrontPage(ctx context.Context, db *pgxpool.Pool, limit int) ([]PostSummary, error) {
	rows, err := db.Query(ctx, frontPage, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (PostSummary, error) {
		var p PostSummary
		err := row.Scan(&p.ID, &p.Title, &p.CreatedAt, &p.AuthorID, &p.Author, &p.Comments)
		return p, err
	})
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
//
// The first Load of a tick opens a batch and starts its timer; every Load
// until the timer fires adds its id to that batch and waits. The timer
// sends one query for the whole batch, with the ids as one array
// parameter, and wakes the callers.
type AuthorLoader struct {
	ctx  context.Context
	db   *pgxpool.Pool
	wait time.Duration

	mu      sync.Mutex   // guards pending
	pending *authorBatch // the batch of the current tick; nil between ticks
}

// authorBatch is the ids of one tick and, once done is closed, their
// authors. Nothing writes to it after done is closed, so the waiting
// callers read it without a lock.
type authorBatch struct {
	ids     []int64
	done    chan struct{}
	authors map[int64]Author
	err     error
}

// NewAuthorLoader returns a loader for one request: ctx is the request's,
// and wait is the tick, how long a batch collects ids before it is sent.
func NewAuthorLoader(ctx context.Context, db *pgxpool.Pool, wait time.Duration) *AuthorLoader {
	return &AuthorLoader{ctx: ctx, db: db, wait: wait}
}

// authorsByID is the loader's one query. The ids travel as a single array
// parameter: the statement text is the same for 1 id or 500, so it is
// parsed and planned once, and no id is ever pasted into SQL.
const authorsByID = `SELECT id, name FROM users WHERE id = ANY($1)`

// Load returns the author with the given id, or an error wrapping
// ErrNotFound. It is called from many goroutines at once.
func (l *AuthorLoader) Load(ctx context.Context, id int64) (Author, error) {
	l.mu.Lock()
	b := l.pending
	if b == nil {
		b = &authorBatch{done: make(chan struct{})}
		l.pending = b
		time.AfterFunc(l.wait, func() { l.dispatch(b) })
	}
	b.ids = append(b.ids, id)
	l.mu.Unlock()

	select {
	case <-b.done:
	case <-ctx.Done():
		return Author{}, ctx.Err()
	}
	if b.err != nil {
		return Author{}, b.err
	}
	a, ok := b.authors[id]
	if !ok {
		return Author{}, fmt.Errorf("author %d: %w", id, ErrNotFound)
	}
	return a, nil
}

// dispatch closes the tick: later Loads open the next batch, and this one
// is fetched with one query.
func (l *AuthorLoader) dispatch(b *authorBatch) {
	l.mu.Lock()
	l.pending = nil
	l.mu.Unlock()
	defer close(b.done)

	// Several resolvers often ask for the same author: send each id once.
	ids := slices.Compact(slices.Sorted(slices.Values(b.ids)))
	rows, err := l.db.Query(l.ctx, authorsByID, ids)
	if err != nil {
		b.err = err
		return
	}
	b.authors = make(map[int64]Author, len(ids))
	var a Author
	_, b.err = pgx.ForEachRow(rows, []any{&a.ID, &a.Name}, func() error {
		b.authors[a.ID] = a
		return nil
	})
}
