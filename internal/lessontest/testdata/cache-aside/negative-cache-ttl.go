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

const missing = "missing"

func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	if data, err := s.Cache.Get(ctx, cacheKey(id)).Bytes(); err == nil {
		if string(data) == missing {
			return User{}, ErrNotFound
		}
		var u User
		if json.Unmarshal(data, &u) == nil {
			return u, nil
		}
	}
	u, err := s.load(ctx, id)
	if errors.Is(err, ErrNotFound) {
		s.Cache.Set(ctx, cacheKey(id), missing, 30*time.Second)
		return User{}, err
	}
	if err != nil {
		return User{}, err
	}
	data, _ := json.Marshal(u)
	return u, s.Cache.Set(ctx, cacheKey(id), data, TTL).Err()
}
