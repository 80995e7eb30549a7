//go:build dblings

package nplusone

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/07-n-plus-one/check"
)

// The check itself is lessons/07-n-plus-one/check, compiled once and
// cached; this file hands it your work, your types converted to its own.
func TestNPlusOne(t *testing.T) {
	check.Run(t, check.Exercise{
		NewestPosts: NewestPosts,
		FrontPage: func(ctx context.Context, db *pgxpool.Pool, limit int) ([]check.PostSummary, error) {
			page, err := FrontPage(ctx, db, limit)
			if page == nil {
				return nil, err
			}
			out := make([]check.PostSummary, len(page))
			for i, p := range page {
				out[i] = check.PostSummary{ID: p.ID, Title: p.Title, CreatedAt: p.CreatedAt, AuthorID: p.AuthorID, Author: p.Author, Comments: p.Comments}
			}
			return out, err
		},
		NewAuthorLoader: func(ctx context.Context, db *pgxpool.Pool, wait time.Duration) func(context.Context, int64) (check.Author, error) {
			l := NewAuthorLoader(ctx, db, wait)
			return func(ctx context.Context, id int64) (check.Author, error) {
				a, err := l.Load(ctx, id)
				return check.Author{ID: a.ID, Name: a.Name}, err
			}
		},
		ErrNotFound: ErrNotFound,
	})
}
