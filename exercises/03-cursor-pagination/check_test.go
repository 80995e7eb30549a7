//go:build dblings

package pagination

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/03-cursor-pagination/check"
)

// The check itself is lessons/03-cursor-pagination/check, compiled once and
// cached; this file hands it your work.
func TestCursorPagination(t *testing.T) {
	check.Run(t, check.Exercise{Migrate: Migrate, Feed: checkFeed, ErrInvalidCursor: ErrInvalidCursor})
}

// checkFeed is your Feed as the check calls it: its Page converted to the
// check's copy of it, post by post.
func checkFeed(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (check.Page, error) {
	page, err := Feed(ctx, db, cursor, limit)
	posts := make([]check.Post, len(page.Posts))
	for i, p := range page.Posts {
		posts[i] = check.Post(p)
	}
	return check.Page{Posts: posts, Next: page.Next}, err
}
