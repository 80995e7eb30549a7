package check

import (
	"context"
	"fmt"
	"time"

	"github.com/dblings/dblings/checker"
)

// account is one row of users.
type account struct {
	ID    int64
	Email string
}

// facts are what the check reads from the data before the learner's
// migration: which account, which words, which clock. All of them change
// with grade's variants of the data.
type facts struct {
	// typed is an account whose e-mail mixes cases ("Ada.Lovelace.7@…"),
	// looked up in upper case; taken is another one, signed up again in
	// lower case.
	typed, taken account
	// fresh is a number no e-mail of the fixture uses, for new sign-ups.
	fresh int64
	// rare is the topic with the fewest articles by title, pair that
	// topic and another one of its articles; want* are the articles the
	// check's own full-text query finds for them.
	rare, pair         string
	wantRare, wantPair []int64
	// clocks are the two times the check runs the expiry job at: the
	// expiry times of the sessions at the 10th and 15th percentiles, so
	// each run has sessions expiring at exactly that instant.
	clocks [2]time.Time
}

func readFacts(c *checker.Check, ctx context.Context) facts {
	var f facts
	db := c.Admin()
	c.RequireNoError("find an account with a mixed-case e-mail", db.QueryRow(ctx, `
		SELECT id, email FROM users WHERE email <> lower(email) AND email <> upper(email)
		ORDER BY id LIMIT 1`).Scan(&f.typed.ID, &f.typed.Email))
	c.RequireNoError("find a second account", db.QueryRow(ctx, `
		SELECT id, email FROM users WHERE email <> lower(email) AND id > $1
		ORDER BY id LIMIT 1`, f.typed.ID).Scan(&f.taken.ID, &f.taken.Email))
	c.RequireNoError("find a number no account uses", db.QueryRow(ctx,
		`SELECT coalesce(max(id), 0) + 1000 FROM users`).Scan(&f.fresh))
	readSearchFacts(c, ctx, &f)
	c.RequireNoError("find the clocks of the expiry job", db.QueryRow(ctx, `
		SELECT percentile_disc(0.10) WITHIN GROUP (ORDER BY expires_at),
		       percentile_disc(0.15) WITHIN GROUP (ORDER BY expires_at)
		FROM sessions WHERE expires_at IS NOT NULL`).Scan(&f.clocks[0], &f.clocks[1]))
	return f
}

// readSearchFacts picks the searches from the titles ("How to <topic>:
// <topic>"), which is cheap, and computes their answers with the check's
// own full-text query, which parses every body once.
func readSearchFacts(c *checker.Check, ctx context.Context, f *facts) {
	db := c.Admin()
	c.RequireNoError("find the rarest topic", db.QueryRow(ctx, `
		SELECT split_part(substr(title, 8), ':', 1) AS topic FROM articles
		WHERE title LIKE 'How to %: %'
		GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`).Scan(&f.rare))
	var other string
	c.RequireNoError("find a second topic", db.QueryRow(ctx, `
		SELECT split_part(title, ': ', 2) FROM articles
		WHERE title LIKE 'How to ' || $1 || ': %' AND split_part(title, ': ', 2) <> $1
		ORDER BY id LIMIT 1`, f.rare).Scan(&other))
	f.pair = f.rare + " " + other
	rows, err := db.Query(ctx, `
		SELECT id, v @@ plainto_tsquery('english', $2)
		FROM articles, to_tsvector('english', body) v
		WHERE v @@ plainto_tsquery('english', $1)
		ORDER BY id`, f.rare, f.pair)
	c.RequireNoError("search the articles", err)
	defer rows.Close()
	for rows.Next() {
		var id int64
		var inPair bool
		c.RequireNoError("search the articles", rows.Scan(&id, &inPair))
		f.wantRare = append(f.wantRare, id)
		if inPair {
			f.wantPair = append(f.wantPair, id)
		}
	}
	c.RequireNoError("search the articles", rows.Err())
	c.Require("the searches find articles", len(f.wantPair) > 0,
		fmt.Sprintf("the check's searches for %q and %q find %d and %d articles", f.rare, f.pair, len(f.wantRare), len(f.wantPair)), checker.Evidence{})
}
