//go:build ignore

// Wrong: soft delete, the partial unique index, an append-only audit and a
// right AsOf, but the audit is still written by the Go functions, as the
// stub did. A change made any other way (here the check's own UPDATE, as
// psql or a migration would make it) leaves no trace.
//
//dblings:answer failed assertion="a direct UPDATE is audited" says="an audit written by the application misses"
package softdeleteaudit

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	_, err := db.Exec(ctx, `
ALTER TABLE members ADD COLUMN deleted_at timestamptz;
ALTER TABLE members DROP CONSTRAINT members_email_key;
CREATE UNIQUE INDEX members_live_email_key ON members (email) WHERE deleted_at IS NULL;
REVOKE UPDATE, DELETE, TRUNCATE ON member_audit FROM CURRENT_USER;`)
	return err
}

const memberColumns = `id, email, name, plan, created_at, deleted_at`

func scanMember(row pgx.Row) (Member, error) {
	var m Member
	err := row.Scan(&m.ID, &m.Email, &m.Name, &m.Plan, &m.CreatedAt, &m.DeletedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Member{}, ErrNotFound
	}
	return m, err
}

func Delete(ctx context.Context, db *pgxpool.Pool, actor string, id int64) error {
	return withActor(ctx, db, actor, func(tx pgx.Tx) error {
		old, err := rowImage(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE members SET deleted_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, id, "UPDATE", actor, old)
	})
}

func Get(ctx context.Context, db *pgxpool.Pool, id int64) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE id = $1 AND deleted_at IS NULL`, id))
}

func FindByEmail(ctx context.Context, db *pgxpool.Pool, email string) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE email = $1 AND deleted_at IS NULL`, email))
}

func ListByPlan(ctx context.Context, db *pgxpool.Pool, plan string) ([]Member, error) {
	rows, err := db.Query(ctx, `SELECT `+memberColumns+` FROM members WHERE plan = $1 AND deleted_at IS NULL ORDER BY id`, plan)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Member, error) { return scanMember(row) })
}

func AsOf(ctx context.Context, db *pgxpool.Pool, id int64, t time.Time) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT m.id, m.email, m.name, m.plan, m.created_at, m.deleted_at
FROM (SELECT new_row FROM member_audit
      WHERE member_id = $1 AND changed_at <= $2
      ORDER BY changed_at DESC, id DESC
      LIMIT 1) last
CROSS JOIN LATERAL jsonb_populate_record(NULL::members, last.new_row) m
WHERE last.new_row IS NOT NULL`, id, t))
}
