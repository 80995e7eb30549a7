package check

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dblings/dblings/checker"
)

// checkLookup looks an account up by its e-mail in another case, then
// plans what FindByEmail sent: the index must be on the expression the
// query compares, lower(email).
func checkLookup(c *checker.Check, ctx context.Context, ex Exercise, f facts) {
	upper := strings.ToUpper(f.typed.Email)
	var got int64
	var err error
	s := record(c, ctx, "users", func() { got, err = ex.FindByEmail(ctx, c.Pool(), upper) })
	nobody := fmt.Sprintf("nobody.%d@helpcenter.example", f.fresh)
	_, missing := ex.FindByEmail(ctx, c.Pool(), nobody)

	ok := err == nil && got == f.typed.ID && errors.Is(missing, ex.ErrNotFound)
	msg := fmt.Sprintf("FindByEmail(%q) found account %d, stored as %s; an unknown e-mail gave ErrNotFound", upper, f.typed.ID, f.typed.Email)
	switch {
	case err != nil || got != f.typed.ID:
		msg = fmt.Sprintf("FindByEmail(%q) returned %d, %v; expected account %d, stored as %s: an e-mail is the same address in any case, so compare lower(email) with lower($1)",
			upper, got, err, f.typed.ID, f.typed.Email)
	case !errors.Is(missing, ex.ErrNotFound):
		msg = fmt.Sprintf("FindByEmail(%q), an e-mail no account has, returned %v; expected ErrNotFound", nobody, missing)
	}
	c.Assert("lookup finds the account whatever the case", ok, msg, s.evidence())
	assertLookupIndex(c, ctx, s)
}

func assertLookupIndex(c *checker.Check, ctx context.Context, s sent) {
	used := s.indexes(c, ctx)
	lower := slices.ContainsFunc(used, func(i checker.Index) bool {
		return slices.ContainsFunc(i.Columns, func(col checker.IndexColumn) bool { return strings.Contains(col.Name, "lower(") })
	})
	scan := s.seqScan()
	ok := len(s.plans) > 0 && scan == nil && lower
	msg := fmt.Sprintf("%s reads %s, an index on lower(email): the expression the query compares", s.sqlOf(), defs(used))
	switch {
	case len(s.plans) == 0:
		msg = noStatement("FindByEmail", "users")
	case scan != nil:
		msg = fmt.Sprintf("%s is a Seq Scan on users that removed %s rows: an index serves only the expression it was built on, and users_email_idx holds email as typed, not lower(email). Index the expression the query uses: CREATE INDEX … ON users (lower(email))",
			s.sqlOf(), removed(scan))
	case !lower:
		msg = fmt.Sprintf("%s reads %s, not an index on lower(email); a lookup that ignores case needs the index on the expression it compares", s.sqlOf(), defs(used))
	}
	c.Assert("lookup uses an index on lower(email)", ok, msg, s.evidence())
}
