//go:build ignore

// Wrong: AsOf reads the audit, but takes the entries strictly before t. At
// the very instant of a change it answers with the row from just before
// it: off by one at every boundary.
//
//dblings:answer failed over=solution assertion="AsOf answers exactly" says="not < t"
package softdeleteaudit

const asOf = `SELECT m.id, m.email, m.name, m.plan, m.created_at, m.deleted_at
FROM (SELECT new_row FROM member_audit
      WHERE member_id = $1 AND changed_at < $2
      ORDER BY changed_at DESC, id DESC
      LIMIT 1) last
CROSS JOIN LATERAL jsonb_populate_record(NULL::members, last.new_row) m
WHERE last.new_row IS NOT NULL`
