package cacheaside

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	UpdatedAt time.Time `json:"updated_at"`
}

var ErrNotFound = errors.New("user not found")

const TTL = 5 * time.Minute

type Store struct {
	DB    *pgxpool.Pool
	Cache *redis.Client
}

func cacheKey(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

func (s *Store) load(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.DB.QueryRow(ctx, `SELECT id, name, email, updated_at FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Name, &u.Email, &u.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return u, err
}

func (s *Store) write(ctx context.Context, id int64, name, email string) error {
	tag, err := s.DB.Exec(ctx, `UPDATE users SET name = $2, email = $3, updated_at = now() WHERE id = $1`, id, name, email)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	if err := s.write(ctx, id, name, email); err != nil {
		return err
	}
	return s.Cache.Del(ctx, cacheKey(id)).Err()
}

func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	key := cacheKey(id)
	fields, err := s.Cache.HGetAll(ctx, key).Result()
	if err == nil && len(fields) > 0 {
		at, err := time.Parse(time.RFC3339Nano, fields["updated_at"])
		if err == nil {
			return User{ID: id, Name: fields["name"], Email: fields["email"], UpdatedAt: at}, nil
		}
	}
	u, err := s.load(ctx, id)
	if err != nil {
		return User{}, err
	}
	_, err = s.Cache.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, "name", u.Name, "email", u.Email, "updated_at", u.UpdatedAt.Format(time.RFC3339Nano))
		p.Expire(ctx, key, TTL)
		return nil
	})
	return u, err
}

var _ = json.Marshal
