// Package cacheaside is lesson 2's second witness: after the check it reads
// the check's Redis database itself, as an administrator, and compares the
// users table with what it held before. The lookups must have left copies
// in Redis, every copy must expire within five minutes, the update must
// have reached Postgres, and no copy may still hold what the update
// replaced.
//
// The witness judges by the values it finds, not by key names or encodings,
// which the lesson leaves to the learner: a copy is stale when its text
// still holds a changed user's old email. An encoding that hides the text
// (compressed, say) is never called stale, only not seen.
package cacheaside

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/witness"
)

// maxTTL is the five minutes the lesson allows a cached copy.
const maxTTL = 5 * time.Minute

// Witness is lesson 2's witness.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	return witness.BeforeAndAfter(ctx, s, readProfiles, func(ctx context.Context, conn *pgx.Conn, before map[int64]profile) ([]witness.Fact, error) {
		after, err := readProfiles(ctx, conn)
		if err != nil {
			return nil, err
		}
		copies, err := readCopies(ctx, s)
		if err != nil {
			return nil, err
		}
		changed := changes(before, after)
		return []witness.Fact{
			updateFact(changed),
			filledFact(copies),
			expiryFact(copies),
			staleFact(copies, changed),
		}, nil
	})
}

// profile is what the witness remembers of one user.
type profile struct{ name, email string }

// readProfiles reads every user's name and email. Ten thousand rows are
// cheap to hold, and the witness needs the old values to recognise a
// stale copy.
func readProfiles(ctx context.Context, conn *pgx.Conn) (map[int64]profile, error) {
	rows, err := conn.Query(ctx, `SELECT id, name, email FROM users`)
	if err != nil {
		return nil, fmt.Errorf("read the users: %w", err)
	}
	out := map[int64]profile{}
	var id int64
	var p profile
	_, err = pgx.ForEachRow(rows, []any{&id, &p.name, &p.email}, func() error {
		out[id] = p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the users: %w", err)
	}
	return out, nil
}

// change is one user whose profile the check's run changed.
type change struct {
	id       int64
	old, now profile
}

// changes lists, by id, the users whose name or email differ between the
// two readings. A user who is gone counts as changed to an empty profile.
func changes(before, after map[int64]profile) []change {
	var out []change
	for id, old := range before {
		if now := after[id]; now != old {
			out = append(out, change{id: id, old: old, now: now})
		}
	}
	slices.SortFunc(out, func(a, b change) int { return cmp.Compare(a.id, b.id) })
	return out
}

// updateFact: the check renames one user, so Postgres must show exactly
// one change.
func updateFact(changed []change) witness.Fact {
	var seen []string
	for _, c := range changed[:min(3, len(changed))] {
		seen = append(seen, fmt.Sprintf("user %d is now %s <%s>", c.id, c.now.name, c.now.email))
	}
	msg := "no user's name or email changed in Postgres during the check, yet the check renames a user: the update never reached the database"
	if len(changed) > 1 {
		msg = fmt.Sprintf("%s changed in Postgres during the check, which renames one: %s", users(len(changed)), strings.Join(seen, "; "))
	}
	return witness.Holds("database: the update reached Postgres", len(changed) == 1,
		fmt.Sprintf("one user changed in Postgres during the check: %s", strings.Join(seen, "; ")), msg)
}

// filledFact: the check looks users up, so a cache-aside read leaves at
// least one copy in Redis.
func filledFact(copies []cached) witness.Fact {
	return witness.Holds("redis: the lookups left copies in Redis", len(copies) > 0,
		fmt.Sprintf("after the check Redis holds %s: %s", keys(len(copies)), keyList(copies)),
		"after the check Redis holds no key at all: the users the check looked up were never cached in Redis")
}

// expiryFact: every copy expires, within five minutes. Time only shortens
// a TTL, so the check's own bound still holds when the witness looks.
func expiryFact(copies []cached) witness.Fact {
	var problems []string
	for _, c := range copies {
		switch {
		case c.ttl < 0:
			problems = append(problems, c.key+" has no TTL")
		case c.ttl > maxTTL:
			problems = append(problems, fmt.Sprintf("%s expires in %s", c.key, c.ttl.Round(time.Second)))
		}
	}
	yes := fmt.Sprintf("read by dblings after the check, every key in Redis (%s) expires within 300 s", keys(len(copies)))
	if len(copies) == 0 {
		yes = "Redis holds no key that could outlive its TTL"
	}
	return witness.Holds("redis: every key expires within 5 minutes", len(problems) == 0, yes,
		fmt.Sprintf("read by dblings after the check, %d of %d keys in Redis do not expire within 300 s: %s",
			len(problems), len(copies), strings.Join(problems[:min(3, len(problems))], "; ")))
}

// staleFact: no copy still holds what the update replaced.
func staleFact(copies []cached, changed []change) witness.Fact {
	var problems []string
	for _, c := range copies {
		for _, ch := range changed {
			if holdsOld(c.text, ch) {
				problems = append(problems, fmt.Sprintf("%s still holds user %d's old email %s", c.key, ch.id, ch.old.email))
			}
		}
	}
	yes := fmt.Sprintf("no key in Redis (%s) holds the old profile of the %s the check changed", keys(len(copies)), users(len(changed)))
	if len(copies) == 0 {
		yes = "Redis holds no key, so no stale copy"
	}
	return witness.Holds("redis: no stale copy of a changed user", len(problems) == 0, yes,
		fmt.Sprintf("read by dblings after the check, Redis still holds the profile the update replaced: %s",
			strings.Join(problems[:min(3, len(problems))], "; ")))
}

// holdsOld says whether text still carries the email a change replaced.
// An old email that is part of the new one (a@x and aa@x) is only stale
// when the new one is absent.
func holdsOld(text string, c change) bool {
	if c.old.email == c.now.email || !strings.Contains(text, c.old.email) {
		return false
	}
	return !strings.Contains(c.now.email, c.old.email) || !strings.Contains(text, c.now.email)
}

// cached is one key of the check's Redis database.
type cached struct {
	key  string
	ttl  time.Duration // negative when the key never expires
	text string        // the value's strings, whatever the key's type
}

// readCopies reads every key of the check's own Redis database, with SCAN
// rather than KEYS so that a big database is read in steps.
func readCopies(ctx context.Context, s *witness.Scene) ([]cached, error) {
	rdb, err := s.RedisClient()
	if err != nil {
		return nil, err
	}
	defer rdb.Close()
	var out []cached
	iter := rdb.Scan(ctx, 0, "*", 100).Iterator()
	for iter.Next(ctx) {
		c, ok, err := readCopy(ctx, rdb, iter.Val())
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, c)
		}
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("list the Redis keys: %w", err)
	}
	slices.SortFunc(out, func(a, b cached) int { return strings.Compare(a.key, b.key) })
	return out, nil
}

// readCopy reads one key's TTL and text; ok is false when the key expired
// between SCAN and now.
func readCopy(ctx context.Context, rdb *redis.Client, key string) (c cached, ok bool, err error) {
	c.key = key
	if c.ttl, err = rdb.PTTL(ctx, key).Result(); err != nil {
		return c, false, fmt.Errorf("read the TTL of %s: %w", key, err)
	}
	if c.ttl == -2 {
		return c, false, nil
	}
	if c.text, err = valueText(ctx, rdb, key); err == redis.Nil {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read %s: %w", key, err)
	}
	return c, true, nil
}

// valueText joins the strings a key holds, for the types a cache uses.
// Other types give no text.
func valueText(ctx context.Context, rdb *redis.Client, key string) (string, error) {
	kind, err := rdb.Type(ctx, key).Result()
	if err != nil {
		return "", err
	}
	var parts []string
	switch kind {
	case "none":
		return "", redis.Nil
	case "string":
		v, err := rdb.Get(ctx, key).Result()
		return v, err
	case "hash":
		fields, err := rdb.HGetAll(ctx, key).Result()
		if err != nil {
			return "", err
		}
		for f, v := range fields {
			parts = append(parts, f, v)
		}
	case "list":
		parts, err = rdb.LRange(ctx, key, 0, -1).Result()
	case "set":
		parts, err = rdb.SMembers(ctx, key).Result()
	case "zset":
		parts, err = rdb.ZRange(ctx, key, 0, -1).Result()
	}
	return strings.Join(parts, "\n"), err
}

// keyList names the first few keys, for a message.
func keyList(copies []cached) string {
	var names []string
	for _, c := range copies[:min(5, len(copies))] {
		names = append(names, c.key)
	}
	if len(copies) > 5 {
		names = append(names, fmt.Sprintf("and %d more", len(copies)-5))
	}
	return strings.Join(names, ", ")
}

// users says "1 user", "2 users".
func users(n int) string { return plural(n, "user") }

// keys says "1 key", "2 keys".
func keys(n int) string { return plural(n, "key") }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
