//go:build ignore

// Right, another way at every step: e-mails unique among live members
// whatever their case (lower(email)); the read paths go through a view of
// the live members, so none can forget the filter; the audit is dated by
// clock_timestamp() and refuses UPDATE and DELETE with a trigger of its
// own rather than a REVOKE; and AsOf reads the row from the other side:
// the old row of the first change after t, or the row as it is now when
// nothing changed since.
//
//dblings:answer passed over=solution
package softdeleteaudit

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const migration = `
ALTER TABLE members ADD COLUMN deleted_at timestamptz;
ALTER TABLE members DROP CONSTRAINT members_email_key;
CREATE UNIQUE INDEX members_live_lower_email_key ON members (lower(email)) WHERE deleted_at IS NULL;
CREATE VIEW live_members AS SELECT * FROM members WHERE deleted_at IS NULL;

CREATE FUNCTION audit_member_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO member_audit (member_id, action, changed_by, changed_at, new_row)
		VALUES (NEW.id, TG_OP, coalesce(nullif(current_setting('app.actor', true), ''), session_user), clock_timestamp(), to_jsonb(NEW));
	ELSIF TG_OP = 'UPDATE' THEN
		INSERT INTO member_audit (member_id, action, changed_by, changed_at, old_row, new_row)
		VALUES (NEW.id, TG_OP, coalesce(nullif(current_setting('app.actor', true), ''), session_user), clock_timestamp(), to_jsonb(OLD), to_jsonb(NEW));
	ELSE
		INSERT INTO member_audit (member_id, action, changed_by, changed_at, old_row)
		VALUES (OLD.id, TG_OP, coalesce(nullif(current_setting('app.actor', true), ''), session_user), clock_timestamp(), to_jsonb(OLD));
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER audit_member_change AFTER INSERT OR UPDATE OR DELETE ON members
	FOR EACH ROW EXECUTE FUNCTION audit_member_change();

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'member_audit is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER member_audit_append_only BEFORE UPDATE OR DELETE ON member_audit
	FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
`

func Delete(ctx context.Context, db *pgxpool.Pool, actor string, id int64) error {
	return update(ctx, db, actor, `UPDATE members SET deleted_at = clock_timestamp() WHERE id = $1 AND deleted_at IS NULL`, id)
}

func Get(ctx context.Context, db *pgxpool.Pool, id int64) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM live_members WHERE id = $1`, id))
}

func FindByEmail(ctx context.Context, db *pgxpool.Pool, email string) (Member, error) {
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM live_members WHERE lower(email) = lower($1)`, email))
}

func ListByPlan(ctx context.Context, db *pgxpool.Pool, plan string) ([]Member, error) {
	rows, err := db.Query(ctx, `SELECT `+memberColumns+` FROM live_members WHERE plan = $1 ORDER BY id`, plan)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Member, error) { return scanMember(row) })
}

// AsOf: the row at t is what the first change after t found, its old row;
// when nothing changed after t, it is the row as it is now.
func AsOf(ctx context.Context, db *pgxpool.Pool, id int64, t time.Time) (Member, error) {
	var old []byte
	var action string
	err := db.QueryRow(ctx, `SELECT action, old_row::text FROM member_audit
WHERE member_id = $1 AND changed_at > $2 ORDER BY changed_at, id LIMIT 1`, id, t).Scan(&action, &old)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE id = $1`, id))
	case err != nil:
		return Member{}, err
	case action == "INSERT":
		return Member{}, ErrNotFound
	}
	return scanMember(db.QueryRow(ctx, `SELECT `+memberColumns+` FROM jsonb_populate_record(NULL::members, $1::text::jsonb)`, string(old)))
}
