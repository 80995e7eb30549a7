//go:build ignore

// Right: a readable cursor (time and id in base64), trusted only after the
// database confirms that a post with that id has that time: no secret to keep,
// one extra round trip per page.
//
//dblings:answer passed over=solution
package pagination

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Feed(ctx context.Context, db *pgxpool.Pool, cursor string, limit int) (Page, error) {
	var rows pgx.Rows
	var err error
	if cursor == "" {
		rows, err = db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	} else {
		var pos position
		if pos, err = decodeCursor(cursor); err != nil {
			return Page{}, err
		}
		if err = confirm(ctx, db, pos); err != nil {
			return Page{}, err
		}
		rows, err = db.Query(ctx, `SELECT id, author_id, title, created_at FROM posts
WHERE (created_at, id) < ($1, $2)
ORDER BY created_at DESC, id DESC LIMIT $3`, pos.at, pos.id, limit)
	}
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

func confirm(ctx context.Context, db *pgxpool.Pool, p position) error {
	var at time.Time
	err := db.QueryRow(ctx, `SELECT created_at FROM posts WHERE id = $1`, p.id).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && !at.Equal(p.at) {
		return fmt.Errorf("%w: no post %d at %s", ErrInvalidCursor, p.id, p.at)
	}
	return err
}

func encodeCursor(p position) string {
	return base64.RawURLEncoding.EncodeToString([]byte(p.at.Format(time.RFC3339Nano) + "~" + strconv.FormatInt(p.id, 10)))
}

func decodeCursor(s string) (position, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return position{}, fmt.Errorf("%w: %v", ErrInvalidCursor, err)
	}
	at, id, ok := strings.Cut(string(raw), "~")
	if !ok {
		return position{}, fmt.Errorf("%w: no separator", ErrInvalidCursor)
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return position{}, fmt.Errorf("%w: %v", ErrInvalidCursor, err)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return position{}, fmt.Errorf("%w: %v", ErrInvalidCursor, err)
	}
	return position{at: t, id: n}, nil
}
