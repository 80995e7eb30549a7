//go:build ignore

// Wrong: the UPDATE lost its WHERE clause, so renaming one user renames
// them all; the user asked for reads back fine, the others are ruined.
//
//dblings:answer failed over=solution assertion="UpdateUser changes only that user" says="the UPDATE must change only the user it is given"
package cacheaside

import "context"

func (s *Store) UpdateUser(ctx context.Context, id int64, name, email string) error {
	if _, err := s.DB.Exec(ctx, `UPDATE users SET name = $1, email = $2, updated_at = now()`, name, email); err != nil {
		return err
	}
	return s.Cache.Del(ctx, cacheKey(id)).Err()
}
