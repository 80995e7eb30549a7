// Package pagination is lesson 3: page through a million posts with a
// cursor that stays fast on page 10,000 and never skips or repeats a post.
package pagination

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Post is one entry of the feed.
type Post struct {
	ID        int64
	AuthorID  int64
	Title     string
	CreatedAt time.Time
}

// Page is one page of the feed.
type Page struct {
	Posts []Post
	// Next is the cursor of the following page, "" when there is none.
	Next string
}

// ErrInvalidCursor is what Feed returns (wrapped or as is) for a cursor it
// did not issue.
var ErrInvalidCursor = errors.New("invalid cursor")

// Migrate prepares the blog database for the feed.
//
// TODO: keyset pagination is only fast with an index that hands the posts
// over in the feed's order. Create it here.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return nil
}

// Feed returns up to limit posts, newest first (posts of the same second:
// highest id first), starting after cursor; "" asks for the first page.
//
// TODO: this is the site's current code. Its cursor is an OFFSET in
// disguise: slow on deep pages, and new posts push old ones onto the next
// page. Rewrite it with a keyset cursor that Feed can trust. Run
// `dblings hint cursor-pagination` if you are stuck.
func Feed(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (Page, error) {
	offset := 0
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil {
			return Page{}, fmt.Errorf("%w: %v", ErrInvalidCursor, err)
		}
		if offset, err = strconv.Atoi(string(raw)); err != nil {
			return Page{}, fmt.Errorf("%w: %v", ErrInvalidCursor, err)
		}
	}
	rows, err := db.Query(ctx, `SELECT id, author_id, title, created_at
FROM posts
ORDER BY created_at DESC, id DESC
LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return Page{}, err
	}
	posts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Post])
	if err != nil {
		return Page{}, err
	}
	page := Page{Posts: posts}
	if len(posts) == limit {
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset + limit)))
	}
	return page, nil
}
