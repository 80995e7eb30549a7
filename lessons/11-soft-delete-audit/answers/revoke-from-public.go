//go:build ignore

// Wrong: the audit is meant to be append-only, but the REVOKE names
// PUBLIC. The application's role owns member_audit, and an owner's rights
// are its own, not PUBLIC's: it can still rewrite and delete entries.
//
//dblings:answer failed over=solution assertion="the audit cannot be rewritten" says="FROM PUBLIC changes nothing"
package softdeleteaudit

const migration = `
ALTER TABLE members ADD COLUMN deleted_at timestamptz;

ALTER TABLE members DROP CONSTRAINT members_email_key;
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

REVOKE UPDATE, DELETE, TRUNCATE ON member_audit FROM PUBLIC;
`
