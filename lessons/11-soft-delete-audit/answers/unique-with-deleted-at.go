//go:build ignore

// Wrong: the constraint replaced by a unique index on (email, deleted_at),
// meant as "unique per deletion". A deleted member's e-mail can come back,
// but two live members are never equal either: their deleted_at are both
// NULL, and NULL never equals NULL. Two simultaneous sign-ups both win.
//
//dblings:answer failed over=solution assertion="one sign-up wins a race" says="NULL never equals NULL"
package softdeleteaudit

const migration = `
ALTER TABLE members ADD COLUMN deleted_at timestamptz;

ALTER TABLE members DROP CONSTRAINT members_email_key;
CREATE UNIQUE INDEX members_email_deleted_key ON members (email, deleted_at);

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
