// Package softdeleteaudit is lesson 11's second witness. After the check
// it looks at the schema the learner's Migrate left and tries it out
// itself, as the role the learner's code ran as, inside transactions it
// rolls back: an UPDATE of a member must reach the audit through a
// trigger, and an UPDATE or a DELETE of the audit must be refused. It
// also compares the members and the audit with what they held before:
// no member removed, some marked deleted, the audit's past untouched.
package softdeleteaudit

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/witness"
)

// witnessActor is who the witness's own change is put on.
const witnessActor = "dblings-witness"

// Witness is lesson 11's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, lookBefore, func(ctx context.Context, conn *pgx.Conn, before look) ([]witness.Fact, error) {
		return judge(ctx, conn, s.Role, before)
	})
}

// look is what the witness reads before the check.
type look struct {
	ids       []int64 // every member
	lastAudit int64   // the newest entry of the audit
	past      witness.Digest
}

func lookBefore(ctx context.Context, conn *pgx.Conn) (look, error) {
	var l look
	err := conn.QueryRow(ctx, `SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM members`).Scan(&l.ids)
	if err != nil {
		return l, fmt.Errorf("read the members: %w", err)
	}
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM member_audit`).Scan(&l.lastAudit); err != nil {
		return l, fmt.Errorf("read the audit: %w", err)
	}
	l.past, err = witness.ReadDigest(ctx, conn, `SELECT * FROM member_audit WHERE id <= $1`, l.lastAudit)
	return l, err
}

func judge(ctx context.Context, conn *pgx.Conn, role string, before look) ([]witness.Fact, error) {
	var facts []witness.Fact
	kept, err := keptFact(ctx, conn, before)
	if err != nil {
		return nil, err
	}
	unique, err := uniqueFact(ctx, conn)
	if err != nil {
		return nil, err
	}
	past, err := pastFact(ctx, conn, before)
	if err != nil {
		return nil, err
	}
	facts = append(facts, kept, unique, past)
	if role == "" {
		return facts, nil // no role to act as: the facts below need one
	}
	trigger, err := triggerFact(ctx, conn, role)
	if err != nil {
		return nil, err
	}
	appendOnly, err := appendOnlyFact(ctx, conn, role)
	if err != nil {
		return nil, err
	}
	return append(facts, trigger, appendOnly), nil
}

// keptFact: every member of before is still a row, and the check's
// deletions marked some deleted.
func keptFact(ctx context.Context, conn *pgx.Conn, before look) (witness.Fact, error) {
	const name = "database: deleted members keep their rows"
	var hasColumn bool
	err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns
		WHERE table_name = 'members' AND column_name = 'deleted_at')`).Scan(&hasColumn)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the columns of members: %w", err)
	}
	var gone, deleted int64
	err = conn.QueryRow(ctx, `SELECT count(*) FROM unnest($1::bigint[]) AS b(id)
		WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = b.id)`, before.ids).Scan(&gone)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the members: %w", err)
	}
	if hasColumn {
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM members WHERE deleted_at IS NOT NULL`).Scan(&deleted); err != nil {
			return witness.Fact{}, fmt.Errorf("read the members: %w", err)
		}
	}
	no := fmt.Sprintf("%d of the members the database had before the check are gone from members: deleted for good", gone)
	switch {
	case !hasColumn:
		no = "members has no column deleted_at"
	case gone == 0:
		no = "no member is marked deleted: the check's deletions never reached the database"
	}
	return witness.Holds(name, hasColumn && gone == 0 && deleted > 0,
		fmt.Sprintf("every member the database had before the check still has a row, and %d are marked deleted", deleted), no), nil
}

var livePredicate = regexp.MustCompile(`(?i)\bdeleted_at\s+IS\s+NULL\b`)

// uniqueFact reads the catalog: a unique index on the e-mail among live
// rows, and none over every row.
func uniqueFact(ctx context.Context, conn *pgx.Conn) (witness.Fact, error) {
	rows, err := conn.Query(ctx, `
		SELECT pg_get_indexdef(i.indexrelid), i.indisunique,
		       coalesce(pg_get_expr(i.indpred, i.indrelid, true), ''),
		       (SELECT array_agg(replace(lower(pg_get_indexdef(i.indexrelid, k, true)), ' ', '') ORDER BY k)
		        FROM generate_series(1, i.indnkeyatts) AS k)
		FROM pg_index i WHERE i.indrelid = 'members'::regclass AND i.indisvalid`)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the indexes of members: %w", err)
	}
	var def, predicate string
	var unique bool
	var keys []string
	var live, whole []string
	_, err = pgx.ForEachRow(rows, []any{&def, &unique, &predicate, &keys}, func() error {
		onEmail := len(keys) == 1 && (keys[0] == "email" || strings.HasPrefix(keys[0], "lower("))
		switch {
		case unique && onEmail && livePredicate.MatchString(predicate):
			live = append(live, def)
		case unique && onEmail && predicate == "":
			whole = append(whole, def)
		}
		return nil
	})
	if err != nil {
		return witness.Fact{}, fmt.Errorf("read the indexes of members: %w", err)
	}
	no := "no unique index on members keeps the e-mail unique among live members (… (email) WHERE deleted_at IS NULL)"
	if len(whole) > 0 {
		no = "members still has a unique index over every row's e-mail: " + whole[0]
	}
	return witness.Holds("database: e-mails unique among live members only", len(live) > 0 && len(whole) == 0,
		"the e-mail is unique among live members: "+strings.Join(live, "; "), no), nil
}

// pastFact: the audit's entries from before the check are as they were,
// and the check's changes added some.
func pastFact(ctx context.Context, conn *pgx.Conn, before look) (witness.Fact, error) {
	past, err := witness.ReadDigest(ctx, conn, `SELECT * FROM member_audit WHERE id <= $1`, before.lastAudit)
	if err != nil {
		return witness.Fact{}, err
	}
	var added int64
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM member_audit WHERE id > $1`, before.lastAudit).Scan(&added); err != nil {
		return witness.Fact{}, fmt.Errorf("read the audit: %w", err)
	}
	no := fmt.Sprintf("the audit's %s entries from before the check are not as they were: history was rewritten", checker.FormatCount(before.past.Rows))
	if past == before.past {
		no = "the audit's past is intact, but no entry was added during the check: its changes never reached member_audit"
	}
	return witness.Holds("database: the audit's past intact, new changes appended", past == before.past && added > 0,
		fmt.Sprintf("the audit's %s entries from before the check are unchanged, and %d were appended", checker.FormatCount(before.past.Rows), added), no), nil
}

// asRole runs fn in a transaction as role, then rolls it all back.
func asRole(ctx context.Context, conn *pgx.Conn, role string, fn func(tx pgx.Tx) error) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, "SET LOCAL ROLE "+pgx.Identifier{role}.Sanitize()); err != nil {
		return fmt.Errorf("act as the check's role: %w", err)
	}
	return fn(tx)
}

// errRefused marks a statement the database refused, as opposed to a
// failure to look.
var errRefused = errors.New("refused")

// triggerFact renames a live member as the learner's role, with app.actor
// set, and looks for the entry the change must have appended.
func triggerFact(ctx context.Context, conn *pgx.Conn, role string) (witness.Fact, error) {
	var entries int64
	var updateErr error
	err := asRole(ctx, conn, role, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.actor', $1, true)`, witnessActor); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `SELECT min(id) FROM members`).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SAVEPOINT change`); err != nil {
			return err
		}
		if _, updateErr = tx.Exec(ctx, `UPDATE members SET name = name || ' (witness)' WHERE id = $1`, id); updateErr != nil {
			_, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT change`)
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM member_audit
			WHERE member_id = $1 AND changed_by = $2 AND new_row->>'name' LIKE '%(witness)' AND old_row->>'name' NOT LIKE '%(witness)'`,
			id, witnessActor).Scan(&entries)
	})
	if err != nil {
		return witness.Fact{}, fmt.Errorf("try an UPDATE of members: %w", err)
	}
	no := fmt.Sprintf("an UPDATE of members made outside the learner's functions appended %d entries to member_audit with its old and new row; a trigger appends one", entries)
	if updateErr != nil {
		no = fmt.Sprintf("an UPDATE of members made outside the learner's functions failed: %v", updateErr)
	}
	return witness.Holds("database: a trigger audits every change", updateErr == nil && entries == 1,
		"an UPDATE of members made outside the learner's functions appended its entry to member_audit, old and new row included: a trigger writes the audit", no), nil
}

// appendOnlyFact tries to rewrite and to delete an entry of the audit as
// the learner's role: both must be refused.
func appendOnlyFact(ctx context.Context, conn *pgx.Conn, role string) (witness.Fact, error) {
	try := func(sql string) (bool, error) {
		err := asRole(ctx, conn, role, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return fmt.Errorf("%w: %v", errRefused, err)
			}
			return nil
		})
		if errors.Is(err, errRefused) {
			return true, nil
		}
		return false, err
	}
	updateRefused, err := try(`UPDATE member_audit SET changed_by = changed_by || '?' WHERE id = (SELECT max(id) FROM member_audit)`)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("try an UPDATE of member_audit: %w", err)
	}
	deleteRefused, err := try(`DELETE FROM member_audit WHERE id = (SELECT max(id) FROM member_audit)`)
	if err != nil {
		return witness.Fact{}, fmt.Errorf("try a DELETE of member_audit: %w", err)
	}
	var went []string
	if !updateRefused {
		went = append(went, "an UPDATE")
	}
	if !deleteRefused {
		went = append(went, "a DELETE")
	}
	return witness.Holds("database: the audit is append-only for the application", len(went) == 0,
		"the role the learner's code ran as can neither update nor delete an entry of member_audit",
		strings.Join(went, " and ")+" of member_audit went through for the role the learner's code ran as"), nil
}
