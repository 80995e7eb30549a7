//go:build ignore

// Right: a row comparison, and an HMAC-signed binary cursor: the reference
// solution as first written, its queries inline and no check of limit. Most
// wrong answers below are this one with one mistake.
//
//dblings:answer passed over=solution
package pagination

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"

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
		last := posts[len(posts)-1]
		page.Next = encodeCursor(position{at: last.CreatedAt, id: last.ID})
	}
	return page, nil
}

var cursorKey = []byte("test key")

func encodeCursor(p position) string {
	buf := binary.BigEndian.AppendUint64(nil, uint64(p.at.UnixMicro()))
	buf = binary.BigEndian.AppendUint64(buf, uint64(p.id))
	return base64.RawURLEncoding.EncodeToString(append(buf, sign(buf)...))
}

func decodeCursor(s string) (position, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(raw) != 32 || !hmac.Equal(raw[16:], sign(raw[:16])) {
		return position{}, fmt.Errorf("%w: %q", ErrInvalidCursor, s)
	}
	return position{
		at: time.UnixMicro(int64(binary.BigEndian.Uint64(raw[:8]))),
		id: int64(binary.BigEndian.Uint64(raw[8:16])),
	}, nil
}

func sign(b []byte) []byte {
	m := hmac.New(sha256.New, cursorKey)
	m.Write(b)
	return m.Sum(nil)[:16]
}
