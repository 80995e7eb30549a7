// Package check is lesson 11's check: it runs a scripted history through the
// learner's members functions and one UPDATE of its own, then holds the
// result to a soft delete, an e-mail unique among live members, an audit
// written by a trigger and append-only, and AsOf answering from the audit.
// It lives in a package of its own, compiled once and cached, and the
// exercise's check_test.go hands it the learner's work: an edit then
// recompiles only the learner's file and that small shim.
package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

const (
	// racers sign up with one e-mail at the same moment.
	racers = 20
	// victims is how many of the fixture's members the check deletes, all
	// on one plan, so that ListByPlan has deleted members to skip.
	victims = 3
)

// Who makes the check's changes, as the audit must record them.
const (
	bySignup  = "signup-form"
	byBilling = "billing-job"
	byMember  = "member-self"
	bySupport = "support-console" // the check's own UPDATE, outside your functions
	byDelete  = "ana@support"
)

// memberRow is the check's own copy of how to read a member, deleted or not.
const memberRow = `SELECT id, email, name, plan, created_at, deleted_at FROM members WHERE id = $1`

// Member is the check's copy of the exercise's Member: one row of members.
type Member struct {
	ID        int64
	Email     string
	Name      string
	Plan      string // free, pro or team
	CreatedAt time.Time
	DeletedAt *time.Time // nil while the member is live
}

// Exercise is what the learner's package gives the check: its migration,
// its members functions (their Members converted to the check's own type)
// and its sentinel errors.
type Exercise struct {
	// Migrate is the learner's migration.
	Migrate func(ctx context.Context, db *pgxpool.Pool) error
	// SignUp, ChangePlan, Rename and Delete are the learner's writes.
	SignUp     func(ctx context.Context, db *pgxpool.Pool, actor, email, name string) (Member, error)
	ChangePlan func(ctx context.Context, db *pgxpool.Pool, actor string, id int64, plan string) error
	Rename     func(ctx context.Context, db *pgxpool.Pool, actor string, id int64, name string) error
	Delete     func(ctx context.Context, db *pgxpool.Pool, actor string, id int64) error
	// Get, FindByEmail, ListByPlan and AsOf are the learner's reads.
	Get         func(ctx context.Context, db *pgxpool.Pool, id int64) (Member, error)
	FindByEmail func(ctx context.Context, db *pgxpool.Pool, email string) (Member, error)
	ListByPlan  func(ctx context.Context, db *pgxpool.Pool, plan string) ([]Member, error)
	AsOf        func(ctx context.Context, db *pgxpool.Pool, id int64, t time.Time) (Member, error)
	// ErrNotFound and ErrEmailTaken are the learner's sentinel errors.
	ErrNotFound, ErrEmailTaken error
}

// Run is the check of lesson 11.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithWeights(checker.Weights{
		"soft delete keeps the row":        2,
		"e-mail unique among live members": 2,
		"every change audited":             2,
		"a direct UPDATE is audited":       2,
		"AsOf answers exactly":             2,
		"the audit cannot be rewritten":    2,
	}))
	ctx := c.Ctx()
	f := readFacts(c, ctx)

	c.RequireNoError("Migrate runs", ex.Migrate(ctx, c.Pool()))
	requireDeletedAt(c, ctx)

	assertLiveUnique(c, ctx, f)
	s := runScript(c, ctx, ex, f)
	assertAudited(c, ctx, s)
	assertSoftDelete(c, s)
	assertReads(c, ctx, ex, s, f)
	assertEmailReuse(c, ctx, ex, s, f)
	assertSignUpRace(c, ctx, ex, f)
	assertAsOf(c, ctx, ex, s, f)
	assertAppendOnly(c, ctx)
}

// ---- What the check reads from the data ----

// facts are read from the fixture before Migrate runs.
type facts struct {
	live      Member  // a live member, whose e-mail is taken
	plan      string  // the plan whose members the check deletes
	victims   []int64 // those members
	history   int64   // the live member with the longest history
	erased    int64   // a member erased for good, known to the audit only
	lastAudit int64   // the newest entry of the fixture's audit
	fresh     string  // the local part of e-mails no member has
}

func readFacts(c *checker.Check, ctx context.Context) facts {
	var f facts
	var err error
	f.live, err = readMember(c, ctx, 0)
	c.RequireNoError("read a live member", err)
	err = c.Admin().QueryRow(ctx, `SELECT plan FROM members GROUP BY plan HAVING count(*) > $1 ORDER BY count(*), plan LIMIT 1`, victims).Scan(&f.plan)
	c.RequireNoError("read the plans", err)
	rows, err := c.Admin().Query(ctx, `SELECT id FROM members WHERE plan = $1 ORDER BY id DESC LIMIT $2`, f.plan, victims)
	c.RequireNoError("read the plan's members", err)
	f.victims, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	c.RequireNoError("read the plan's members", err)
	err = c.Admin().QueryRow(ctx, `SELECT a.member_id FROM member_audit a JOIN members m ON m.id = a.member_id
GROUP BY a.member_id ORDER BY count(*) DESC, a.member_id LIMIT 1`).Scan(&f.history)
	c.RequireNoError("read the audit", err)
	err = c.Admin().QueryRow(ctx, `SELECT member_id FROM member_audit WHERE action = 'DELETE' ORDER BY member_id LIMIT 1`).Scan(&f.erased)
	c.RequireNoError("read the audit", err)
	c.RequireNoError("read the audit", c.Admin().QueryRow(ctx, `SELECT max(id) FROM member_audit`).Scan(&f.lastAudit))
	f.fresh = fmt.Sprintf("check.%d", c.Seed())
	return f
}

// readMember reads member id (or the live member with the lowest id for
// 0), deleted or not, with the check's own query.
func readMember(c *checker.Check, ctx context.Context, id int64) (Member, error) {
	var m Member
	sql := `SELECT id, email, name, plan, created_at, NULL::timestamptz FROM members ORDER BY id LIMIT 1`
	args := []any{}
	if id != 0 {
		sql, args = memberRow, []any{id}
	}
	err := c.Admin().QueryRow(ctx, sql, args...).Scan(&m.ID, &m.Email, &m.Name, &m.Plan, &m.CreatedAt, &m.DeletedAt)
	return m, err
}

// rowNow is member id's row, or nil when the row is gone.
func rowNow(c *checker.Check, ctx context.Context, id int64) *Member {
	m, err := readMember(c, ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	c.RequireNoError("read the member's row", err)
	return &m
}

// requireDeletedAt: without the column nothing else can be checked.
func requireDeletedAt(c *checker.Check, ctx context.Context) {
	var typ string
	err := c.Admin().QueryRow(ctx, `SELECT coalesce((SELECT data_type FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = 'members' AND column_name = 'deleted_at'), '')`).Scan(&typ)
	c.RequireNoError("read the columns of members", err)
	msg := "members has the column deleted_at (timestamp with time zone)"
	switch {
	case typ == "":
		msg = "after Migrate, members has no column deleted_at: add it (timestamptz, NULL while the member is live). A soft delete sets it instead of removing the row, and every read skips the rows where it is set"
	case typ != "timestamp with time zone":
		msg = fmt.Sprintf("members.deleted_at is a %s; make it a timestamptz, NULL while the member is live: the moment of the deletion is part of the history", typ)
	}
	c.Require("members has deleted_at", typ == "timestamp with time zone", msg, checker.Evidence{})
}

// ---- The partial unique index ----

// deletedAtNull finds the live rows' condition in an index's predicate.
// More conditions beside it would leave some live rows unchecked; the
// sign-ups below catch that.
var deletedAtNull = regexp.MustCompile(`(?i)\bdeleted_at\s+IS\s+NULL\b`)

// emailKey tells an index keyed on the e-mail alone (or its lower case).
func emailKey(ix checker.Index) bool {
	if len(ix.Columns) != 1 {
		return false
	}
	k := strings.ReplaceAll(strings.ToLower(ix.Columns[0].Name), " ", "")
	return k == "email" || k == "lower(email)" || k == "lower((email)::text)"
}

// assertLiveUnique reads the indexes of members and the plan of the
// lookup by e-mail: the e-mail must be unique among live rows, and only
// among them.
func assertLiveUnique(c *checker.Check, ctx context.Context, f facts) {
	indexes, err := checker.Indexes(ctx, c.Admin(), "members")
	c.RequireNoError("read the indexes of members", err)
	var live, whole, pair, partialNotUnique *checker.Index
	for i := range indexes {
		ix := &indexes[i]
		switch {
		case !ix.Valid:
		case ix.Unique && emailKey(*ix) && deletedAtNull.MatchString(ix.Predicate):
			live = ix
		case ix.Unique && emailKey(*ix) && ix.Predicate == "":
			whole = ix
		case ix.Unique && len(ix.Columns) == 2 && ix.Columns[0].Name == "email" && ix.Columns[1].Name == "deleted_at":
			pair = ix
		case !ix.Unique && emailKey(*ix) && ix.Predicate != "":
			partialNotUnique = ix
		}
	}
	ev := checker.Evidence{}
	var msg string
	ok := false
	switch {
	case whole != nil:
		msg = fmt.Sprintf("members still has %s (%s): unique over every row, deleted ones included, so a member who left can never sign up again with the same e-mail. Drop it and keep the e-mail unique among live rows only: CREATE UNIQUE INDEX … ON members (email) WHERE deleted_at IS NULL",
			whole.Name, whole.Definition)
	case live == nil && pair != nil:
		msg = fmt.Sprintf("%s (%s) is unique over (email, deleted_at), which never refuses two live members: both have deleted_at NULL, and NULL never equals NULL. Index the e-mail alone, WHERE deleted_at IS NULL", pair.Name, pair.Definition)
	case live == nil && partialNotUnique != nil:
		msg = fmt.Sprintf("%s (%s) has the right WHERE but is not UNIQUE: it finds members fast and lets two live ones share an e-mail", partialNotUnique.Name, partialNotUnique.Definition)
	case live == nil:
		msg = "no index on members keeps the e-mail unique among live members: the database no longer refuses a second live member with the same e-mail. CREATE UNIQUE INDEX … ON members (email) WHERE deleted_at IS NULL"
	default:
		lookup := `SELECT id FROM members WHERE email = $1 AND deleted_at IS NULL`
		if strings.Contains(strings.ToLower(live.Columns[0].Name), "lower") {
			lookup = `SELECT id FROM members WHERE lower(email) = lower($1) AND deleted_at IS NULL`
		}
		plan, err := checker.Explain(ctx, c.Admin(), lookup, f.live.Email)
		c.RequireNoError("plan the lookup by e-mail", err)
		ev.Plan = plan
		ok = slices.Contains(plan.IndexesUsed(), live.Name)
		msg = fmt.Sprintf("%s (%s) keeps e-mails unique among live members, and the lookup of a live member by e-mail reads it:\n%s", live.Name, live.Definition, plan)
		if !ok {
			msg = fmt.Sprintf("%s (%s) is there, but the lookup of a live member by e-mail does not use it:\n%s", live.Name, live.Definition, plan)
		}
	}
	c.Assert("e-mail unique among live members", ok, msg, ev)
}

// ---- The scripted history ----

// step is one change of the script and the row it left.
type step struct {
	what          string
	by            string
	direct        bool // the check's own UPDATE, not one of your functions
	before, after time.Time
	row           *Member // the row after the step, nil when gone
}

// script is the history the check gives one new member.
type script struct {
	id      int64
	email   string
	steps   []step
	deleted []int64 // the fixture's members the check deleted
}

// runScript signs a member up and changes it four times, once with its own
// UPDATE, reading the database's clock around each change and the row
// after it.
func runScript(c *checker.Check, ctx context.Context, ex Exercise, f facts) *script {
	s := &script{email: f.fresh + ".asof@example.org"}
	do := func(what, by string, direct bool, change func() error) {
		before := clock(c, ctx)
		err := change()
		after := clock(c, ctx)
		if direct {
			msg := fmt.Sprintf("the check's own UPDATE of member %d went through", s.id)
			if err != nil {
				msg = fmt.Sprintf("the check's own UPDATE of member %d failed: %v. A trigger on members must let every UPDATE through, whoever runs it", s.id, err)
			}
			c.Require("the check's own UPDATE runs", err == nil, msg, checker.Evidence{})
		} else {
			c.RequireNoError(what+" runs", err)
		}
		s.steps = append(s.steps, step{what: what, by: by, direct: direct, before: before, after: after, row: rowNow(c, ctx, s.id)})
	}
	do("SignUp", bySignup, false, func() error {
		m, err := ex.SignUp(ctx, c.Pool(), bySignup, s.email, "Asa Check")
		s.id = m.ID
		return err
	})
	do("ChangePlan to pro", byBilling, false, func() error { return ex.ChangePlan(ctx, c.Pool(), byBilling, s.id, "pro") })
	do("Rename", byMember, false, func() error { return ex.Rename(ctx, c.Pool(), byMember, s.id, "Asa Checked") })
	do("the check's own UPDATE of the plan to team", bySupport, true, func() error {
		return pgx.BeginFunc(ctx, c.Admin(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT set_config('app.actor', $1, true)`, bySupport); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE members SET plan = 'team' WHERE id = $1`, s.id)
			return err
		})
	})
	do("Delete", byDelete, false, func() error { return ex.Delete(ctx, c.Pool(), byDelete, s.id) })
	for _, id := range f.victims {
		c.RequireNoError(fmt.Sprintf("Delete(%d) runs", id), ex.Delete(ctx, c.Pool(), byDelete, id))
		s.deleted = append(s.deleted, id)
	}
	return s
}

func clock(c *checker.Check, ctx context.Context) time.Time {
	var t time.Time
	c.RequireNoError("read the database's clock", c.Admin().QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&t))
	return t
}

// ---- The audit ----

// entry is one row of member_audit.
type entry struct {
	id       int64
	action   string
	by       string
	at       time.Time
	old, new *Member
}

// image is a row as to_jsonb wrote it.
type image struct {
	ID        int64      `json:"id"`
	Email     string     `json:"email"`
	Name      string     `json:"name"`
	Plan      string     `json:"plan"`
	CreatedAt time.Time  `json:"created_at"`
	DeletedAt *time.Time `json:"deleted_at"`
}

func decodeImage(raw *string) (*Member, error) {
	if raw == nil {
		return nil, nil
	}
	var img image
	if err := json.Unmarshal([]byte(*raw), &img); err != nil {
		return nil, err
	}
	m := Member(img)
	return &m, nil
}

// readAudit reads the audit of one member, oldest first.
func readAudit(c *checker.Check, ctx context.Context, id int64) []entry {
	rows, err := c.Admin().Query(ctx, `SELECT id, action, changed_by, changed_at, old_row::text, new_row::text
FROM member_audit WHERE member_id = $1 ORDER BY changed_at, id`, id)
	c.RequireNoError("read member_audit", err)
	var out []entry
	var e entry
	var oldRaw, newRaw *string
	_, err = pgx.ForEachRow(rows, []any{&e.id, &e.action, &e.by, &e.at, &oldRaw, &newRaw}, func() error {
		var err error
		if e.old, err = decodeImage(oldRaw); err != nil {
			return fmt.Errorf("entry %d: old_row: %w", e.id, err)
		}
		if e.new, err = decodeImage(newRaw); err != nil {
			return fmt.Errorf("entry %d: new_row: %w", e.id, err)
		}
		out = append(out, e)
		return nil
	})
	c.RequireNoError("read member_audit", err)
	return out
}

// match finds the entries of a step: the row before it as old_row, the
// row after it as new_row.
func (s *script) match(entries []entry, k int) []entry {
	var prev *Member
	if k > 0 {
		prev = s.steps[k-1].row
	}
	var out []entry
	for _, e := range entries {
		if sameRow(e.old, prev) && sameRow(e.new, s.steps[k].row) {
			out = append(out, e)
		}
	}
	return out
}

// assertAudited compares the audit of the script's member with the script.
func assertAudited(c *checker.Check, ctx context.Context, s *script) {
	entries := readAudit(c, ctx, s.id)
	var problems []string
	directOK, directMsg := false, ""
	used := 0
	for k, st := range s.steps {
		found := s.match(entries, k)
		used += len(found)
		var problem string
		switch {
		case len(found) == 0 && st.direct:
			problem = "the UPDATE the check ran itself, outside your functions (as psql, a migration or another service would), left no entry in member_audit: an audit written by the application misses every change made elsewhere. Write it from a trigger on members"
		case len(found) == 0:
			problem = fmt.Sprintf("%s left no entry in member_audit whose old_row is the row before it (%s) and new_row the row after it (%s)", st.what, describeRow(prevRow(s, k)), describeRow(st.row))
		case len(found) > 1:
			problem = fmt.Sprintf("%s has %d entries in member_audit (entries %d and %d): one change, one entry. If a trigger writes the audit, your Go code must not write it too", st.what, len(found), found[0].id, found[1].id)
		case found[0].by != st.by:
			problem = fmt.Sprintf("%s is put on %q in member_audit; it was made by %q, the app.actor of its transaction (current_setting('app.actor', true))", st.what, found[0].by, st.by)
		case found[0].at.Before(st.before) || found[0].at.After(st.after):
			problem = fmt.Sprintf("%s is dated %s in member_audit, but it happened between %s and %s", st.what, stamp(found[0].at), stamp(st.before), stamp(st.after))
		}
		if st.direct {
			directOK, directMsg = problem == "", problem
			continue
		}
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	if extra := len(entries) - used; len(problems) == 0 && extra > 0 {
		problems = append(problems, fmt.Sprintf("member_audit holds %d entries for member %d that match none of its %d changes", extra, s.id, len(s.steps)))
	}
	ev := checker.Evidence{Counts: map[string]int64{"changes": int64(len(s.steps)), "entries": int64(len(entries))}}
	msg := fmt.Sprintf("each of the %d changes to member %d (sign-up, plan, name, the check's own UPDATE, delete) has exactly one entry in member_audit, with who made it, when, the row before and the row after", len(s.steps), s.id)
	if len(problems) > 0 {
		msg = strings.Join(problems, "; ")
	}
	c.Assert("every change audited", len(problems) == 0, msg, ev)
	if directOK {
		directMsg = fmt.Sprintf("the UPDATE the check ran itself, outside your functions, is in member_audit, put on %q: the trigger sees every change, whoever makes it", bySupport)
	}
	c.Assert("a direct UPDATE is audited", directOK, directMsg, ev)
}

func prevRow(s *script, k int) *Member {
	if k == 0 {
		return nil
	}
	return s.steps[k-1].row
}

// ---- Soft delete and the read paths ----

func assertSoftDelete(c *checker.Check, s *script) {
	last := s.steps[len(s.steps)-1]
	before := s.steps[len(s.steps)-2].row
	ok := false
	var msg string
	switch after := last.row; {
	case after == nil:
		msg = fmt.Sprintf("Delete removed member %d's row: a hard DELETE. The member is gone for good, support cannot restore them, and their history points at nothing. Keep the row and set deleted_at = now() instead", s.id)
	case after.DeletedAt == nil:
		msg = fmt.Sprintf("after Delete, member %d is still live: deleted_at is NULL. Delete sets it (UPDATE members SET deleted_at = now() …)", s.id)
	case before == nil || !sameRow(&Member{ID: after.ID, Email: after.Email, Name: after.Name, Plan: after.Plan, CreatedAt: after.CreatedAt, DeletedAt: before.DeletedAt}, before):
		msg = fmt.Sprintf("Delete set deleted_at but changed member %d's row too: it was %s and is now %s. A soft delete only marks the row", s.id, describeRow(before), describeRow(after))
	default:
		ok = true
		msg = fmt.Sprintf("after Delete, member %d's row is still there, unchanged but for deleted_at = %s", s.id, stamp(*after.DeletedAt))
	}
	c.Assert("soft delete keeps the row", ok, msg, checker.Evidence{})
}

// assertReads calls every read path on deleted and live members.
func assertReads(c *checker.Check, ctx context.Context, ex Exercise, s *script, f facts) {
	var problems []string
	add := func(p string) { problems = append(problems, p) }
	if m, err := ex.Get(ctx, c.Pool(), s.id); !errors.Is(err, ex.ErrNotFound) {
		add(fmt.Sprintf("Get(%d) returned %s and error %v for a deleted member; expected ErrNotFound", s.id, describe(m), err))
	}
	if m, err := ex.FindByEmail(ctx, c.Pool(), s.email); !errors.Is(err, ex.ErrNotFound) {
		add(fmt.Sprintf("FindByEmail(%q) returned %s and error %v, while the only member with that e-mail is deleted; expected ErrNotFound", s.email, describe(m), err))
	}
	want := liveIDs(c, ctx, f.plan)
	list, err := ex.ListByPlan(ctx, c.Pool(), f.plan)
	got := make([]int64, len(list))
	for i, m := range list {
		got[i] = m.ID
	}
	switch {
	case err != nil:
		add(fmt.Sprintf("ListByPlan(%q) failed: %v", f.plan, err))
	case !slices.Equal(got, want):
		var listed []int64
		for _, id := range s.deleted {
			if slices.Contains(got, id) {
				listed = append(listed, id)
			}
		}
		if len(listed) > 0 {
			add(fmt.Sprintf("ListByPlan(%q) lists member %d, deleted by the check (%d deleted members in all)", f.plan, listed[0], len(listed)))
		} else {
			add(fmt.Sprintf("ListByPlan(%q) returned %d members; %d live members are on that plan, by id", f.plan, len(got), len(want)))
		}
	}
	live := f.live
	if m, err := ex.Get(ctx, c.Pool(), live.ID); err != nil || !sameRow(&m, &live) {
		add(fmt.Sprintf("Get(%d), a live member, returned %s and error %v; the row is %s", live.ID, describe(m), err, describeRow(&live)))
	}
	msg := fmt.Sprintf("Get, FindByEmail and ListByPlan(%q) skip the %d members the check deleted, and still find live ones", f.plan, 1+len(s.deleted))
	if len(problems) > 0 {
		msg = strings.Join(problems, "; ") + ". Every read path filters on deleted_at IS NULL (a view of the live members is one way never to forget it)"
	}
	c.Assert("reads skip deleted members", len(problems) == 0, msg, checker.Evidence{})
}

func liveIDs(c *checker.Check, ctx context.Context, plan string) []int64 {
	rows, err := c.Admin().Query(ctx, `SELECT id FROM members WHERE plan = $1 AND deleted_at IS NULL ORDER BY id`, plan)
	c.RequireNoError("read the plan's live members", err)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	c.RequireNoError("read the plan's live members", err)
	return ids
}

// ---- E-mails ----

func assertEmailReuse(c *checker.Check, ctx context.Context, ex Exercise, s *script, f facts) {
	m, err := ex.SignUp(ctx, c.Pool(), bySignup, s.email, "Asa Again")
	ok := err == nil && m.ID != s.id
	msg := fmt.Sprintf("%s, the e-mail of deleted member %d, signed up again as member %d", s.email, s.id, m.ID)
	switch {
	case errors.Is(err, ex.ErrEmailTaken):
		msg = fmt.Sprintf("SignUp refused %s, which only deleted member %d has: %v. A unique constraint or index over every row still counts the deleted ones; the e-mail must be unique among live members only", s.email, s.id, err)
	case err != nil:
		msg = fmt.Sprintf("SignUp(%q), the e-mail of deleted member %d, failed: %v", s.email, s.id, err)
	case m.ID == s.id:
		msg = fmt.Sprintf("SignUp(%q) returned deleted member %d instead of signing up a new member", s.email, s.id)
	}
	if ok {
		if found, err := ex.FindByEmail(ctx, c.Pool(), s.email); err != nil || found.ID != m.ID {
			ok = false
			msg = fmt.Sprintf("after %s signed up again as member %d, FindByEmail returned %s and error %v: it must find the live member, not the deleted one", s.email, m.ID, describe(found), err)
		}
	}
	c.Assert("a deleted member's e-mail can sign up again", ok, msg, checker.Evidence{})

	_, err = ex.SignUp(ctx, c.Pool(), bySignup, f.live.Email, "Someone Else")
	msg = fmt.Sprintf("SignUp(%q), the e-mail of live member %d, failed with ErrEmailTaken", f.live.Email, f.live.ID)
	if !errors.Is(err, ex.ErrEmailTaken) {
		msg = fmt.Sprintf("SignUp(%q), the e-mail of live member %d, returned %v; expected an error wrapping ErrEmailTaken: two live members never share an e-mail", f.live.Email, f.live.ID, err)
	}
	c.Assert("a live member's e-mail is refused", errors.Is(err, ex.ErrEmailTaken), msg, checker.Evidence{})
}

// assertSignUpRace signs up one new e-mail from many goroutines at once:
// only a unique index can let exactly one through.
func assertSignUpRace(c *checker.Check, ctx context.Context, ex Exercise, f facts) {
	email := f.fresh + ".race@example.org"
	out := checker.RunConcurrently(ctx, racers, func(ctx context.Context, i int) error {
		_, err := ex.SignUp(ctx, c.Pool(), fmt.Sprintf("racer-%d", i), email, fmt.Sprintf("Racer %d", i))
		return err
	}, checker.WithTimeout(20*time.Second))
	taken := out.Count(func(err error) bool { return errors.Is(err, ex.ErrEmailTaken) })
	var rows int64
	c.RequireNoError("count the members with the e-mail", c.Admin().QueryRow(ctx,
		`SELECT count(*) FROM members WHERE email = $1 AND deleted_at IS NULL`, email).Scan(&rows))
	ok := out.Succeeded == 1 && taken == racers-1 && rows == 1
	ev := checker.Evidence{Counts: out.Counts()}
	ev.Counts["email_taken"], ev.Counts["live_rows"] = int64(taken), rows
	msg := fmt.Sprintf("%d sign-ups with %s at the same moment: one went through, the %d others got ErrEmailTaken", racers, email, racers-1)
	switch {
	case out.Succeeded > 1 || rows > 1:
		msg = fmt.Sprintf("%d of %d sign-ups with %s at the same moment went through, and %d live members now share it. ", out.Succeeded, racers, email, rows)
		if pairIndex(c, ctx) {
			msg += "A unique index on (email, deleted_at) never finds two live rows equal: their deleted_at are both NULL, and NULL never equals NULL. Index the e-mail alone, WHERE deleted_at IS NULL"
		} else {
			msg += "Looking for the e-mail before inserting cannot work: each sign-up looks before any other has committed. Only a unique index refuses the second one"
		}
	case !ok:
		msg = fmt.Sprintf("%d sign-ups with %s at the same moment: %s; expected one to go through and the others to get an error wrapping ErrEmailTaken", racers, email, out)
	}
	c.Assert("one sign-up wins a race", ok, msg, ev)
}

func pairIndex(c *checker.Check, ctx context.Context) bool {
	indexes, err := checker.Indexes(ctx, c.Admin(), "members")
	c.RequireNoError("read the indexes of members", err)
	for _, ix := range indexes {
		if ix.Unique && len(ix.Columns) == 2 && ix.Columns[0].Name == "email" && ix.Columns[1].Name == "deleted_at" {
			return true
		}
	}
	return false
}

// ---- AsOf ----

// probe is one AsOf question and its answer: want is nil when the row did
// not exist at t.
type probe struct {
	id       int64
	t        time.Time
	want     *Member
	why      string
	boundary bool    // t is the instant of a change
	before   *Member // the row just before that change
}

// assertAsOf asks AsOf about the script's member at and around each of its
// changes, and about members of the fixture's history.
func assertAsOf(c *checker.Check, ctx context.Context, ex Exercise, s *script, f facts) {
	probes := scriptProbes(c, ctx, s)
	probes = append(probes, historyProbes(c, ctx, f.history, f.lastAudit)...)
	probes = append(probes, historyProbes(c, ctx, f.erased, f.lastAudit)...)
	var problem string
	for _, p := range probes {
		if problem = askAsOf(c, ctx, ex, p); problem != "" {
			break
		}
	}
	msg := fmt.Sprintf("%d questions to AsOf, at the instant of each change, a microsecond before it and in between, for a member of the check and two of the fixture's history (one erased for good): every answer exact", len(probes))
	if problem != "" {
		msg = problem
	}
	c.Assert("AsOf answers exactly", problem == "", msg, checker.Evidence{Counts: map[string]int64{"questions": int64(len(probes))}})
}

// askAsOf asks one question and says what is wrong with the answer.
func askAsOf(c *checker.Check, ctx context.Context, ex Exercise, p probe) string {
	got, err := ex.AsOf(ctx, c.Pool(), p.id, p.t)
	switch {
	case p.want == nil && errors.Is(err, ex.ErrNotFound):
		return ""
	case p.want == nil:
		return fmt.Sprintf("AsOf(%d, %s) returned %s and error %v, but %s the row did not exist; expected ErrNotFound", p.id, stamp(p.t), describe(got), err, p.why)
	case err != nil && !errors.Is(err, ex.ErrNotFound):
		return fmt.Sprintf("AsOf(%d, %s) failed: %v; %s the row was %s", p.id, stamp(p.t), err, p.why, describeRow(p.want))
	case err == nil && sameRow(&got, p.want):
		return ""
	}
	answer := describe(got)
	if err != nil {
		answer = "ErrNotFound"
	}
	problem := fmt.Sprintf("AsOf(%d, %s) returned %s; %s the row was %s", p.id, stamp(p.t), answer, p.why, describeRow(p.want))
	if p.boundary && ((err != nil && p.before == nil) || (err == nil && p.before != nil && sameRow(&got, p.before))) {
		problem += ". That is the answer for just before: a change made at exactly t is part of the row at t, so take the entries with changed_at <= t, not < t"
	}
	return problem
}

// scriptProbes: before the sign-up, between the changes, and, where the
// audit dated a change, at its instant and a microsecond before it.
func scriptProbes(c *checker.Check, ctx context.Context, s *script) []probe {
	entries := readAudit(c, ctx, s.id)
	ps := []probe{{id: s.id, t: s.steps[0].before.Add(-time.Second), why: "before it signed up,"}}
	for k, st := range s.steps {
		prev := prevRow(s, k)
		next := st.after.Add(time.Second)
		if k+1 < len(s.steps) {
			next = st.after.Add(s.steps[k+1].before.Sub(st.after) / 2)
		}
		ps = append(ps, probe{id: s.id, t: next, want: st.row, why: "after " + st.what + ","})
		if found := s.match(entries, k); len(found) == 1 {
			at := found[0].at
			ps = append(ps,
				probe{id: s.id, t: at, want: st.row, why: "at the instant of " + st.what + ",", boundary: true, before: prev},
				probe{id: s.id, t: at.Add(-time.Microsecond), want: prev, why: "a microsecond before " + st.what + ","})
		}
	}
	return ps
}

// historyProbes: at each change of the fixture's audit for member id, and
// a microsecond before it.
func historyProbes(c *checker.Check, ctx context.Context, id, lastAudit int64) []probe {
	var ps []probe
	var prev *Member
	for _, e := range readAudit(c, ctx, id) {
		if e.id > lastAudit {
			continue // the check's own changes
		}
		what := fmt.Sprintf("the change of entry %d (%s by %s)", e.id, e.action, e.by)
		ps = append(ps,
			probe{id: id, t: e.at, want: e.new, why: "at the instant of " + what + ",", boundary: true, before: prev},
			probe{id: id, t: e.at.Add(-time.Microsecond), want: prev, why: "a microsecond before " + what + ","})
		prev = e.new
	}
	return ps
}

// ---- The audit is append-only ----

// assertAppendOnly tries to rewrite and to delete the newest entry of the
// audit with the role your code runs as, each in a transaction it rolls
// back: both must be refused.
func assertAppendOnly(c *checker.Check, ctx context.Context) {
	var target int64
	c.RequireNoError("read member_audit", c.Admin().QueryRow(ctx, `SELECT max(id) FROM member_audit`).Scan(&target))
	// try runs sql and says whether the entry changed, before it rolls back.
	try := func(sql string) (err error, changed bool) {
		tx, err := c.Admin().Begin(ctx)
		c.RequireNoError("begin a transaction", err)
		defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
		if _, err := tx.Exec(ctx, sql, target); err != nil {
			return err, false
		}
		var same bool
		c.RequireNoError("read member_audit", tx.QueryRow(ctx,
			`SELECT EXISTS (SELECT 1 FROM member_audit WHERE id = $1 AND changed_by <> 'someone else')`, target).Scan(&same))
		return nil, !same
	}
	upd, updChanged := try(`UPDATE member_audit SET changed_by = 'someone else' WHERE id = $1`)
	del, delChanged := try(`DELETE FROM member_audit WHERE id = $1`)
	ok := upd != nil && del != nil
	msg := fmt.Sprintf("the role your code runs as cannot rewrite the audit: UPDATE was refused (%s), and DELETE (%s)", refusal(upd), refusal(del))
	if !ok {
		var went []string
		if upd == nil {
			went = append(went, "an UPDATE")
		}
		if del == nil {
			went = append(went, "a DELETE")
		}
		msg = fmt.Sprintf("%s of member_audit's entry %d went through for the role your code runs as (the check rolled it back): whoever holds your application's credentials can rewrite history. "+
			"Your role owns the table, and an owner keeps every right on it until it gives some up, so REVOKE … FROM PUBLIC changes nothing: REVOKE UPDATE, DELETE ON member_audit FROM CURRENT_USER (or a trigger that refuses them)",
			strings.Join(went, " and "), target)
		if (upd != nil || !updChanged) && (del != nil || !delChanged) {
			msg = fmt.Sprintf("%s of member_audit's entry %d reported success and changed nothing (a rule DO INSTEAD NOTHING?): the entry is safe, but whoever tried believes it worked. Refuse with an error: REVOKE UPDATE, DELETE ON member_audit FROM CURRENT_USER, or a trigger that raises one",
				strings.Join(went, " and "), target)
		}
	}
	c.Assert("the audit cannot be rewritten", ok, msg, checker.Evidence{})
}

func refusal(err error) string {
	if code := checker.SQLState(err); code != "" {
		return "SQLSTATE " + code
	}
	return fmt.Sprint(err)
}

// ---- Rows in words ----

func sameRow(a, b *Member) bool {
	if a == nil || b == nil {
		return a == b
	}
	sameDeleted := (a.DeletedAt == nil) == (b.DeletedAt == nil) && (a.DeletedAt == nil || a.DeletedAt.Equal(*b.DeletedAt))
	return a.ID == b.ID && a.Email == b.Email && a.Name == b.Name && a.Plan == b.Plan && a.CreatedAt.Equal(b.CreatedAt) && sameDeleted
}

func describe(m Member) string {
	if m == (Member{}) {
		return "an empty Member"
	}
	return describeRow(&m)
}

func describeRow(m *Member) string {
	if m == nil {
		return "no row"
	}
	state := "live"
	if m.DeletedAt != nil {
		state = "deleted at " + stamp(*m.DeletedAt)
	}
	return fmt.Sprintf("{member %d, %s, %q, plan %s, %s}", m.ID, m.Email, m.Name, m.Plan, state)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000000") }
