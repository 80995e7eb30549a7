//go:build ignore

// Wrong: a loader that caches: the resolvers asking for the same author
// share one query, and nobody asks twice. But each distinct author is still
// its own query, forty-odd for one request: caching saves the repeats, only
// batching saves the round trips.
//
//dblings:answer failed over=solution assertion="one query per tick" says="one per distinct user"
package nplusone

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// cached is one author being fetched, or fetched.
type cached struct {
	done   chan struct{}
	author Author
	err    error
}

func (l *AuthorLoader) Load(ctx context.Context, id int64) (Author, error) {
	l.mu.Lock()
	if l.cache == nil {
		l.cache = map[int64]*cached{}
	}
	e, ok := l.cache[id]
	if !ok {
		e = &cached{done: make(chan struct{})}
		l.cache[id] = e
	}
	l.mu.Unlock()
	if !ok {
		e.author.ID = id
		e.err = l.db.QueryRow(ctx, `SELECT name FROM users WHERE id = $1`, id).Scan(&e.author.Name)
		if errors.Is(e.err, pgx.ErrNoRows) {
			e.err = fmt.Errorf("author %d: %w", id, ErrNotFound)
		}
		close(e.done)
	}
	<-e.done
	if e.err != nil {
		return Author{}, e.err
	}
	return e.author, nil
}

type AuthorLoader struct {
	ctx  context.Context
	db   *pgxpool.Pool
	wait time.Duration

	mu      sync.Mutex
	cache   map[int64]*cached
	pending *authorBatch // unused here
}
