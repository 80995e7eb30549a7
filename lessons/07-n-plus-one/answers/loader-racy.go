//go:build ignore

// Wrong: the solution's batching without its mutex. Every resolver reads
// and writes the pending batch at once; most runs give one query and the
// right authors, but two appends can meet and an id can vanish from the
// batch. The race detector sees it every time.
//
//dblings:answer failed over=solution assertion="no data race" says="a data race: two goroutines"
package nplusone

import (
	"context"
	"fmt"
	"time"
)

func (l *AuthorLoader) Load(ctx context.Context, id int64) (Author, error) {
	b := l.pending
	if b == nil {
		b = &authorBatch{done: make(chan struct{})}
		l.pending = b
		time.AfterFunc(l.wait, func() { l.dispatch(b) })
	}
	b.ids = append(b.ids, id)

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
