//go:build dblings

package softdeleteaudit

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/11-soft-delete-audit/check"
)

// The check itself is lessons/11-soft-delete-audit/check, compiled once and
// cached; this file hands it your work. Your Members are converted, field
// for field, to the check's own copy of the type.
func TestSoftDeleteAudit(t *testing.T) {
	check.Run(t, check.Exercise{
		Migrate: Migrate,
		SignUp: func(ctx context.Context, db *pgxpool.Pool, actor, email, name string) (check.Member, error) {
			m, err := SignUp(ctx, db, actor, email, name)
			return check.Member(m), err
		},
		ChangePlan: ChangePlan,
		Rename:     Rename,
		Delete:     Delete,
		Get: func(ctx context.Context, db *pgxpool.Pool, id int64) (check.Member, error) {
			m, err := Get(ctx, db, id)
			return check.Member(m), err
		},
		FindByEmail: func(ctx context.Context, db *pgxpool.Pool, email string) (check.Member, error) {
			m, err := FindByEmail(ctx, db, email)
			return check.Member(m), err
		},
		ListByPlan: func(ctx context.Context, db *pgxpool.Pool, plan string) ([]check.Member, error) {
			list, err := ListByPlan(ctx, db, plan)
			out := make([]check.Member, len(list))
			for i, m := range list {
				out[i] = check.Member(m)
			}
			return out, err
		},
		AsOf: func(ctx context.Context, db *pgxpool.Pool, id int64, t time.Time) (check.Member, error) {
			m, err := AsOf(ctx, db, id, t)
			return check.Member(m), err
		},
		ErrNotFound:   ErrNotFound,
		ErrEmailTaken: ErrEmailTaken,
	})
}
