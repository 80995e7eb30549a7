//go:build ignore

// Right: each profile cached as a Redis hash, written together with its TTL
// in one MULTI/EXEC pipeline, so a profile is never cached without expiry;
// an update deletes the hash after the UPDATE.
//
//dblings:answer passed
package cacheaside

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

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
