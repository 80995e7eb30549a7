//go:build ignore

// Right: a loader whose batching lives in one goroutine. Load sends its id
// and a reply channel; the goroutine collects requests until the tick ends,
// sends one query with the ids as an array, answers every caller, and
// starts over. No lock: only the goroutine touches the batch.
//
//dblings:answer passed over=solution
package nplusone

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type AuthorLoader struct {
	ctx      context.Context
	db       *pgxpool.Pool
	wait     time.Duration
	requests chan authorRequest
}

type authorRequest struct {
	id    int64
	reply chan authorReply
}

type authorReply struct {
	author Author
	err    error
}

func NewAuthorLoader(ctx context.Context, db *pgxpool.Pool, wait time.Duration) *AuthorLoader {
	l := &AuthorLoader{ctx: ctx, db: db, wait: wait, requests: make(chan authorRequest)}
	go l.dispatch()
	return l
}

func (l *AuthorLoader) Load(ctx context.Context, id int64) (Author, error) {
	req := authorRequest{id: id, reply: make(chan authorReply, 1)}
	select {
	case l.requests <- req:
	case <-ctx.Done():
		return Author{}, ctx.Err()
	}
	select {
	case r := <-req.reply:
		return r.author, r.err
	case <-ctx.Done():
		return Author{}, ctx.Err()
	}
}

// dispatch runs for the life of the request: one batch per tick.
func (l *AuthorLoader) dispatch() {
	for {
		var batch []authorRequest
		select {
		case req := <-l.requests:
			batch = append(batch, req)
		case <-l.ctx.Done():
			return
		}
		timer := time.NewTimer(l.wait)
	collect:
		for {
			select {
			case req := <-l.requests:
				batch = append(batch, req)
			case <-timer.C:
				break collect
			}
		}
		l.fetch(batch)
	}
}

func (l *AuthorLoader) fetch(batch []authorRequest) {
	ids := make([]int64, len(batch))
	for i, r := range batch {
		ids[i] = r.id
	}
	found := map[int64]Author{}
	rows, err := l.db.Query(l.ctx, `SELECT id, name FROM users WHERE id = ANY($1)`, ids)
	if err == nil {
		var a Author
		_, err = pgx.ForEachRow(rows, []any{&a.ID, &a.Name}, func() error {
			found[a.ID] = a
			return nil
		})
	}
	for _, r := range batch {
		a, ok := found[r.id]
		switch {
		case err != nil:
			r.reply <- authorReply{err: err}
		case !ok:
			r.reply <- authorReply{err: fmt.Errorf("author %d: %w", r.id, ErrNotFound)}
		default:
			r.reply <- authorReply{author: a}
		}
	}
}
