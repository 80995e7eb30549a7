//go:build ignore

// Right: the expanded comparison with a bound the index can use, an ascending
// index read backwards, a JSON cursor with a SHA-256 checksum, and one row more
// than the page to know whether another page follows.
//
//dblings:answer passed
package pagination

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_feed_idx ON posts (created_at, id)`)
	return err
}

func Feed(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (Page, error) {
	rows, err := queryPage(ctx, db, cursor, limit)
	if err != nil {
		return Page{}, err
	}
	posts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Post])
	if err != nil {
		return Page{}, err
	}
	page := Page{Posts: posts}
	if len(posts) > limit {
		page.Posts = posts[:limit]
		last := posts[limit-1]
		page.Next = encodeCursor(position{At: last.CreatedAt, ID: last.ID})
	}
	return page, nil
}

func queryPage(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (pgx.Rows, error) {
	if cursor == "" {
		return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
ORDER BY created_at DESC, id DESC LIMIT $1 + 1`, limit)
	}
	pos, err := decodeCursor(cursor)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
WHERE created_at <= $1 AND (created_at < $1 OR id < $2)
ORDER BY created_at DESC, id DESC LIMIT $3 + 1`, pos.At, pos.ID, limit)
}

type position struct {
	At time.Time `json:"t"`
	ID int64     `json:"i"`
}

type envelope struct {
	Pos position `json:"p"`
	Sum []byte   `json:"s"`
}

func checksum(p position) []byte {
	b, _ := json.Marshal(p)
	s := sha256.Sum256(append([]byte("feed/v1 "), b...))
	return s[:12]
}

func encodeCursor(p position) string {
	b, _ := json.Marshal(envelope{Pos: p, Sum: checksum(p)})
	return base64.URLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (position, error) {
	b, err := base64.URLEncoding.DecodeString(s)
	if err != nil {
		return position{}, fmt.Errorf("%w: %v", ErrInvalidCursor, err)
	}
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		return position{}, fmt.Errorf("%w: %v", ErrInvalidCursor, err)
	}
	if string(e.Sum) != string(checksum(e.Pos)) {
		return position{}, fmt.Errorf("%w: checksum mismatch", ErrInvalidCursor)
	}
	return e.Pos, nil
}
