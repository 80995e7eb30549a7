//go:build ignore

// Wrong: deleted_at, the trigger and the rest are right, but the fixture's
// UNIQUE (email) is left in place, with a partial index beside it. The
// constraint still counts the deleted rows, so a member who left can never
// come back with the same e-mail.
//
//dblings:answer failed over=solution assertion="a deleted member's e-mail can sign up again" says="over every row still counts the deleted ones"
package softdeleteaudit

const migration = `
ALTER TABLE members ADD COLUMN deleted_at timestamptz;
CREATE UNIQUE INDEX members_live_email_key ON members (email) WHERE deleted_at IS NULL;

CREATE FUNCTION members_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO member_audit (member_id, action, changed_by, changed_at, old_row, new_row)
	VALUES (
		CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END,
		TG_OP,
		coalesce(nullif(current_setting('app.actor', true), ''), current_user),
		now(),
		CASE TG_OP WHEN 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
		CASE TG_OP WHEN 'DELETE' THEN NULL ELSE to_jsonb(NEW) END);
	RETURN NULL;
END
$$;
CREATE TRIGGER members_audit AFTER INSERT OR UPDATE OR DELETE ON members
	FOR EACH ROW EXECUTE FUNCTION members_audit();

REVOKE UPDATE, DELETE, TRUNCATE ON member_audit FROM CURRENT_USER;
`
