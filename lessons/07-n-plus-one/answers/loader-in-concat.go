//go:build ignore

// Wrong: the right loader, one query per tick, but the ids are joined into
// the SQL text: WHERE id IN (12, 40, 7). Numbers today, so no harm done
// yet, but the habit is an injection waiting for a string, and every batch
// of another size is a new statement to parse and plan.
//
//dblings:answer failed over=solution assertion="one statement text for any batch" says="written into the SQL text itself"
package nplusone

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

func (l *AuthorLoader) dispatch(b *authorBatch) {
	l.mu.Lock()
	l.pending = nil
	l.mu.Unlock()
	defer close(b.done)

	ids := slices.Compact(slices.Sorted(slices.Values(b.ids)))
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	rows, err := l.db.Query(l.ctx, `SELECT id, name FROM users WHERE id IN (`+strings.Join(list, ", ")+`)`)
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
