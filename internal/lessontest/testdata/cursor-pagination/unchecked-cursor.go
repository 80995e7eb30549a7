// Wrong: a readable cursor decoded without any check: garbage makes it panic.
package pagination

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Post struct {
	ID        int64
	AuthorID  int64
	Title     string
	CreatedAt time.Time
}

type Page struct {
	Posts []Post
	Next  string
}

var ErrInvalidCursor = errors.New("invalid cursor")

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `CREATE INDEX posts_created_id_idx ON posts (created_at DESC, id DESC)`)
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
	if len(posts) == limit {
		last := posts[len(posts)-1]
		page.Next = encodeCursor(position{at: last.CreatedAt, id: last.ID})
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
WHERE (created_at, id) < ($1, $2)
ORDER BY created_at DESC, id DESC LIMIT $3`, pos.at, pos.id, limit)
}

type position struct {
	at time.Time
	id int64
}

func encodeCursor(p position) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(p.at.UnixMicro(), 10) + "," + strconv.FormatInt(p.id, 10)))
}

func decodeCursor(s string) (position, error) {
	raw, _ := base64.RawURLEncoding.DecodeString(s)
	parts := strings.Split(string(raw), ",")
	micros, _ := strconv.ParseInt(parts[0], 10, 64)
	id, _ := strconv.ParseInt(parts[1], 10, 64)
	return position{at: time.UnixMicro(micros), id: id}, nil
}
