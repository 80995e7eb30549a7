// Package pagination is lesson 3: page through a million posts with a
// cursor that stays fast on page 10,000 and never skips or repeats a post.
package pagination

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
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
// The index holds the posts in exactly the feed's order, id breaking ties
// between posts of the same second, so a page is one short walk down the
// index from the cursor's position: no Sort, and no rows skipped over.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_created_id_idx ON posts (created_at DESC, id DESC)`)
	return err
}

const (
	firstPage = `SELECT id, author_id, title, created_at
FROM posts
ORDER BY created_at DESC, id DESC
LIMIT $1`
	// The row comparison reads "strictly after the last post shown" in the
	// feed's order, and Postgres uses it as an index condition: the scan
	// starts at the cursor instead of reading up to it.
	nextPage = `SELECT id, author_id, title, created_at
FROM posts
WHERE (created_at, id) < ($1, $2)
ORDER BY created_at DESC, id DESC
LIMIT $3`
)

// Feed returns up to limit posts, newest first (posts of the same second:
// highest id first), starting after cursor; "" asks for the first page.
func Feed(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (Page, error) {
	if limit < 1 {
		return Page{}, fmt.Errorf("limit %d: a page holds at least one post", limit)
	}
	rows, err := queryPage(ctx, db, cursor, limit)
	if err != nil {
		return Page{}, err
	}
	posts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Post])
	if err != nil {
		return Page{}, err
	}
	page := Page{Posts: posts}
	// A short page is the last one. A full page may be too; then the next
	// call returns an empty page, which is cheaper than asking for one row
	// more every time.
	if len(posts) == limit {
		last := posts[len(posts)-1]
		page.Next = encodeCursor(position{at: last.CreatedAt, id: last.ID})
	}
	return page, nil
}

func queryPage(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (pgx.Rows, error) {
	if cursor == "" {
		return db.Query(ctx, firstPage, limit)
	}
	pos, err := decodeCursor(cursor)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, nextPage, pos.at, pos.id, limit)
}

// position is where a page ended: the last post's sort key.
type position struct {
	at time.Time
	id int64
}

// cursorKey signs the cursors, so that Feed accepts only positions it
// handed out itself. A real service loads it from its secrets; changing it
// invalidates the cursors of readers in the middle of a feed.
var cursorKey = []byte("dblings lesson 3: load me from your secrets")

const (
	payloadSize = 16 // microseconds since 1970, then the id
	macSize     = 16 // half of an HMAC-SHA256 is plenty against guessing
)

// encodeCursor packs a position and its signature into URL-safe text.
// Microseconds are what Postgres stores, so nothing is rounded away.
func encodeCursor(p position) string {
	buf := binary.BigEndian.AppendUint64(nil, uint64(p.at.UnixMicro()))
	buf = binary.BigEndian.AppendUint64(buf, uint64(p.id))
	buf = append(buf, sign(buf)...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// decodeCursor is the only way back from text to a position: whatever does
// not decode, or carries a signature Feed did not make, is refused.
func decodeCursor(s string) (position, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) != payloadSize+macSize {
		return position{}, fmt.Errorf("%w: not a cursor of this feed", ErrInvalidCursor)
	}
	payload, mac := raw[:payloadSize], raw[payloadSize:]
	if !hmac.Equal(mac, sign(payload)) {
		return position{}, fmt.Errorf("%w: the signature does not match", ErrInvalidCursor)
	}
	return position{
		at: time.UnixMicro(int64(binary.BigEndian.Uint64(payload[:8]))),
		id: int64(binary.BigEndian.Uint64(payload[8:])),
	}, nil
}

func sign(payload []byte) []byte {
	m := hmac.New(sha256.New, cursorKey)
	m.Write(payload)
	return m.Sum(nil)[:macSize]
}
