//go:build ignore

// Wrong: the cursor is a signed OFFSET. The walk looks right, but deep pages
// read every row before them, and new posts push old ones onto the next page.
//
//dblings:answer failed over=row-value-hmac assertion="page 10,000 reads only its own rows" says="OFFSET makes Postgres walk past every post"
package pagination

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/binary"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

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
	if len(posts) == limit {
		page.Next = encodeCursor(position{offset: offsetOf(cursor) + int64(limit)})
	}
	return page, nil
}

func queryPage(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (pgx.Rows, error) {
	if cursor == "" {
		return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	}
	pos, err := decodeCursor(cursor)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`, limit, pos.offset)
}

type position struct{ offset int64 }

func offsetOf(cursor string) int64 {
	if cursor == "" {
		return 0
	}
	p, _ := decodeCursor(cursor)
	return p.offset
}

func encodeCursor(p position) string {
	buf := binary.BigEndian.AppendUint64(nil, uint64(p.offset))
	return base64.RawURLEncoding.EncodeToString(append(buf, sign(buf)...))
}

func decodeCursor(s string) (position, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) != 24 || !hmac.Equal(raw[8:], sign(raw[:8])) {
		return position{}, fmt.Errorf("%w: %q", ErrInvalidCursor, s)
	}
	return position{offset: int64(binary.BigEndian.Uint64(raw[:8]))}, nil
}
