// Package check is lesson 2's check: it reads a user through the
// learner's Store on a cold and a warm cache, renames the user and asks
// for one who does not exist, and judges the Postgres queries, the Redis
// commands and the TTLs left behind. It lives in a package of its own,
// compiled once and cached, and the exercise's check_test.go hands it the
// learner's work: an edit then recompiles only the learner's file and that
// small shim.
package check

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/redischeck"
)

// maxTTL is the five minutes the lesson asks for.
const maxTTL = 5 * time.Minute

// Exercise is what the learner's package gives the check.
type Exercise struct {
	// NewStore is the learner's Store on the given Postgres pool and Redis
	// client: Store{DB: db, Cache: cache}.
	NewStore func(db *pgxpool.Pool, cache *redis.Client) Store
	// ErrNotFound is the exercise's ErrNotFound.
	ErrNotFound error
}

// Store is what the check calls on the learner's Store.
type Store interface {
	GetUser(ctx context.Context, id int64) (User, error)
	UpdateUser(ctx context.Context, id int64, name, email string) error
}

// User is the exercise's User, field for field, so that the shim converts
// one into the other.
type User struct {
	ID        int64
	Name      string
	Email     string
	UpdatedAt time.Time
}

// scene is the check's handles on Postgres (the checker's) and on Redis.
type scene struct {
	*checker.Check
	redis *redischeck.Redis
}

// Run is the check of lesson 2.
func Run(t *testing.T, ex Exercise) {
	check := checker.New(t)
	c := &scene{Check: check, redis: redischeck.Open(t, check)}
	ctx := c.Ctx()
	s := ex.NewStore(c.Pool(), c.redis.Client())
	want := readUser(c, ctx, lastUpdatedUser(c, ctx))

	assertMiss(c, ctx, s, want)
	assertHit(c, ctx, s, want)
	assertUpdate(c, ctx, s, want)
	assertUnknownUser(c, ctx, s, ex.ErrNotFound)
	assertEveryKeyExpires(c, ctx)
}

// assertMiss reads a user on a cold cache: one Postgres query, then a copy
// in Redis that expires within five minutes.
func assertMiss(c *scene, ctx context.Context, s Store, want User) {
	resetLogs(c)
	got, err := s.GetUser(ctx, want.ID)
	c.RequireNoError("GetUser on a cold cache", err)
	assertSameUser(c, "GetUser returns the user", got, want)

	queries := c.QueryLog().Queries(checker.NotTxControl)
	msg := fmt.Sprintf("a miss sent %d queries to Postgres; expected exactly one, to load the user", len(queries))
	if len(queries) == 1 {
		msg = "a miss read the user from Postgres with one query"
	}
	c.Assert("a miss reads Postgres once", len(queries) == 1, msg, queryEvidence(queries))

	keys := cacheKeys(c, ctx)
	commands := c.redis.Log().Commands()
	ev := checker.Evidence{Commands: redischeck.Evidence(commands), Details: map[string]any{"keys": keys}}
	msg = fmt.Sprintf("after the miss Redis holds %s", strings.Join(keys, ", "))
	switch {
	case len(commands) == 0:
		msg = "the miss sent no Redis command and Redis holds no key; expected the user to be stored in Redis, with a TTL, once loaded from Postgres. A copy kept in a Go map instead would live in one process only, grow forever and never be invalidated by the other instances of the service"
	case len(keys) == 0:
		msg = fmt.Sprintf("the miss sent %d Redis commands (%s) but Redis holds no key; expected the user to be stored in Redis after it was loaded from Postgres", len(commands), commandNames(commands))
	}
	if !c.Assert("a miss fills the cache in Redis", len(keys) > 0, msg, ev) {
		return
	}
	assertTTLs(c, ctx, "expires within 5 minutes", keys, "a missed invalidation leaves it wrong forever")
}

// assertTTLs requires every key to expire, within five minutes; forever
// says what a key without a TTL would cost.
func assertTTLs(c *scene, ctx context.Context, name string, keys []string, forever string) {
	var problems []string
	ttls := map[string]any{}
	for _, k := range keys {
		ttl := c.redis.Admin().PTTL(ctx, k).Val()
		ttls[k] = ttl.Round(time.Second).String()
		switch {
		case ttl == -1:
			problems = append(problems, fmt.Sprintf("%s has no TTL: it stays until someone deletes it, so %s", k, forever))
		case ttl > maxTTL:
			problems = append(problems, fmt.Sprintf("%s expires in %s; expected at most 300 s (5 minutes)", k, ttl.Round(time.Second)))
		}
	}
	msg := fmt.Sprintf("every key expires within 5 minutes (%s)", describeTTLs(ttls))
	if len(problems) > 0 {
		msg = strings.Join(problems, "; ") + ". Store the copy with an expiry (SET key value EX 300, or Set with a TTL in go-redis)"
	}
	c.Assert(name, len(problems) == 0, msg, checker.Evidence{Details: map[string]any{"ttls": ttls}})
}

// assertHit reads the same user twice more: Redis answers, Postgres is not
// asked.
func assertHit(c *scene, ctx context.Context, s Store, want User) {
	resetLogs(c)
	first, err := s.GetUser(ctx, want.ID)
	c.RequireNoError("GetUser on a warm cache", err)
	second, err := s.GetUser(ctx, want.ID)
	c.RequireNoError("GetUser on a warm cache", err)
	if !same(first, want) {
		second = first // report the read that went wrong
	}
	assertSameUser(c, "a cached read returns the same user", second, want)
	queries := c.QueryLog().Queries(checker.NotTxControl)
	msg := "two reads of a cached user sent no query to Postgres"
	if len(queries) > 0 {
		msg = fmt.Sprintf("two reads of a cached user sent %d queries to Postgres; expected none: look in Redis first and ask Postgres only on a miss", len(queries))
	}
	c.Assert("a hit makes no Postgres query", len(queries) == 0, msg, queryEvidence(queries))

	commands := c.redis.Log().Commands()
	msg = fmt.Sprintf("two reads of a cached user sent %s to Redis", commandNames(commands))
	switch {
	case len(commands) == 0 && len(queries) > 0:
		msg = "two reads sent no Redis command; expected them to look in Redis first"
	case len(commands) == 0:
		msg = "two reads sent neither a Postgres query nor a Redis command: the user came from memory inside your process, which other instances of the service do not share and nothing invalidates; expected a read from Redis"
	}
	c.Assert("a hit is served by Redis", len(commands) > 0, msg, checker.Evidence{Commands: redischeck.Evidence(commands)})
}

// assertUpdate changes the cached user: Postgres has the change, the cache
// was invalidated after the write, and the next read sees the change.
func assertUpdate(c *scene, ctx context.Context, s Store, old User) {
	name, email := "Grace Renamed", "grace.renamed@example.com"
	resetLogs(c)
	c.RequireNoError("UpdateUser", s.UpdateUser(ctx, old.ID, name, email))
	queries, commands := c.QueryLog().Queries(), c.redis.Log().Commands()

	stored := readUser(c, ctx, old.ID)
	ok := stored.Name == name && stored.Email == email
	msg := fmt.Sprintf("Postgres holds the new name and email of user %d", old.ID)
	if !ok {
		msg = fmt.Sprintf("after UpdateUser(%d, %q, %q) Postgres holds %q, %q; expected the change in the database, which holds the truth", old.ID, name, email, stored.Name, stored.Email)
	}
	c.Assert("UpdateUser writes Postgres", ok, msg, queryEvidence(queries))
	assertOnlyThatUser(c, ctx, name, email)
	assertInvalidatedAfterWrite(c, queries, commands)

	resetLogs(c)
	got, err := s.GetUser(ctx, old.ID)
	c.RequireNoError("GetUser after UpdateUser", err)
	ok = got.Name == name && got.Email == email
	msg = fmt.Sprintf("the read after the update returned the new name %q", got.Name)
	if !ok {
		msg = fmt.Sprintf("after UpdateUser renamed user %d to %q, GetUser still returned %q: the cache kept the old copy. Delete the user's key after writing Postgres, so that the next read misses and loads the new row",
			old.ID, name, got.Name)
	}
	c.Assert("the next read sees the update", ok, msg, checker.Evidence{Commands: redischeck.Evidence(c.redis.Log().Commands())})
}

// assertOnlyThatUser: the new name and email are unique to this check, so
// exactly one row may carry them afterwards.
func assertOnlyThatUser(c *scene, ctx context.Context, name, email string) {
	var n int64
	c.RequireNoError("count the renamed users", c.Admin().QueryRow(ctx,
		`SELECT count(*) FROM users WHERE name = $1 OR email = $2`, name, email).Scan(&n))
	msg := "UpdateUser changed one row: the user it was given"
	if n != 1 {
		msg = fmt.Sprintf("after UpdateUser, %s users carry the new name or email: the UPDATE must change only the user it is given (WHERE id = $1)", checker.FormatCount(n))
	}
	c.Assert("UpdateUser changes only that user", n == 1, msg, checker.Evidence{Counts: map[string]int64{"renamed_users": n}})
}

// assertInvalidatedAfterWrite requires a Redis command that started after
// the write reached Postgres for good: the UPDATE, or the COMMIT after it.
// Invalidating earlier leaves a window in which a reader caches the old row
// again, for the whole TTL.
func assertInvalidatedAfterWrite(c *scene, queries []checker.Query, commands []redischeck.Command) {
	ev := checker.Evidence{Queries: checker.Statements(queries), Commands: redischeck.Evidence(commands)}
	written := lastWrite(queries)
	after := slices.IndexFunc(commands, func(cmd redischeck.Command) bool { return cmd.Start.After(written) })
	var msg string
	switch {
	case written.IsZero():
		msg = "UpdateUser sent no UPDATE to Postgres"
	case len(commands) == 0:
		msg = "UpdateUser sent no Redis command: the cached copy stays as it was until its TTL runs out. Delete the key after the UPDATE"
	case after < 0:
		msg = fmt.Sprintf("UpdateUser sent %s before the UPDATE had committed, and nothing after: a read in between loads the old row and caches it again, for the whole TTL. Invalidate after the write",
			commandNames(commands))
	default:
		msg = fmt.Sprintf("UpdateUser sent %s after the UPDATE had committed", commands[after].Name)
	}
	c.Assert("invalidates after the write", !written.IsZero() && after >= 0, msg, ev)
}

// assertUnknownUser asks twice for a user who does not exist: ErrNotFound
// both times, and nothing cached for good.
func assertUnknownUser(c *scene, ctx context.Context, s Store, errNotFound error) {
	var id int64
	c.RequireNoError("find an unused user id", c.Admin().QueryRow(ctx, `SELECT max(id) + 1000 FROM users`).Scan(&id))
	before := cacheKeys(c, ctx)
	resetLogs(c)
	_, first := s.GetUser(ctx, id)
	u, second := s.GetUser(ctx, id)
	ok := errors.Is(first, errNotFound) && errors.Is(second, errNotFound)
	msg := fmt.Sprintf("GetUser(%d), a user who does not exist, returned ErrNotFound both times", id)
	switch {
	case second == nil && errors.Is(first, errNotFound):
		msg = fmt.Sprintf("GetUser(%d) returned ErrNotFound, then on the second call a user (id %d, name %q) and no error: a cached \"not found\" was read back as a user", id, u.ID, u.Name)
	case !ok:
		msg = fmt.Sprintf("GetUser(%d), a user who does not exist, returned %v, then %v; expected ErrNotFound both times (errors.Is)", id, first, second)
	}
	c.Assert("an unknown user is ErrNotFound", ok, msg, checker.Evidence{Commands: redischeck.Evidence(c.redis.Log().Commands())})

	var added []string
	for _, k := range cacheKeys(c, ctx) {
		if !slices.Contains(before, k) {
			added = append(added, k)
		}
	}
	if len(added) == 0 {
		c.Assert("\"not found\" is not cached forever", true, "nothing was cached for the unknown user", checker.Evidence{})
		return
	}
	assertTTLs(c, ctx, "\"not found\" is not cached forever", added, "a user who signs up later stays \"not found\" forever")
}

// assertEveryKeyExpires looks at every key the code left in Redis.
func assertEveryKeyExpires(c *scene, ctx context.Context) {
	if keys := cacheKeys(c, ctx); len(keys) > 0 {
		assertTTLs(c, ctx, "every cached key expires", keys, "a missed invalidation leaves it wrong forever")
	}
}

func assertSameUser(c *scene, name string, got, want User) {
	msg := fmt.Sprintf("user %d, %s <%s>", got.ID, got.Name, got.Email)
	if !same(got, want) {
		msg = fmt.Sprintf("got %+v; Postgres holds %+v", got, want)
	}
	c.Assert(name, same(got, want), msg, checker.Evidence{})
}

func same(a, b User) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Email == b.Email && a.UpdatedAt.Equal(b.UpdatedAt)
}

// lastUpdatedUser is the user whose profile changed last, read from the
// data: an ordinary user, and another one in every variant of the data
// that grade uses, so that no answer can be fitted to one id.
func lastUpdatedUser(c *scene, ctx context.Context) int64 {
	var id int64
	c.RequireNoError("choose a user", c.Admin().QueryRow(ctx, `SELECT id FROM users ORDER BY updated_at DESC, id LIMIT 1`).Scan(&id))
	return id
}

func readUser(c *scene, ctx context.Context, id int64) User {
	var u User
	err := c.Admin().QueryRow(ctx, `SELECT id, name, email, updated_at FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Name, &u.Email, &u.UpdatedAt)
	c.RequireNoError("read the user", err)
	return u
}

// cacheKeys lists the keys in the run's own Redis database, sorted.
func cacheKeys(c *scene, ctx context.Context) []string {
	var keys []string
	iter := c.redis.Admin().Scan(ctx, 0, "*", 100).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	c.RequireNoError("list the Redis keys", iter.Err())
	slices.Sort(keys)
	return keys
}

func resetLogs(c *scene) {
	c.QueryLog().Reset()
	c.redis.Log().Reset()
}

// isWrite keeps the statements after which a change is visible to every
// reader: an UPDATE outside a transaction, or the COMMIT of one.
var isWrite = checker.SQLMatches(`\bupdate\b|^\s*(commit|end)\b`)

// lastWrite is when the last UPDATE or COMMIT ended: from then on, the new
// row is what every reader of Postgres sees.
func lastWrite(queries []checker.Query) time.Time {
	var at time.Time
	for _, q := range queries {
		if isWrite(q) && q.End.After(at) {
			at = q.End
		}
	}
	return at
}

func queryEvidence(qs []checker.Query) checker.Evidence {
	return checker.Evidence{Queries: checker.Statements(qs), Counts: map[string]int64{"queries": int64(len(qs))}}
}

func commandNames(cmds []redischeck.Command) string {
	names := make([]string, len(cmds))
	for i, cmd := range cmds {
		names[i] = cmd.Name
	}
	return strings.Join(names, ", ")
}

func describeTTLs(ttls map[string]any) string {
	var parts []string
	for k, v := range ttls {
		parts = append(parts, fmt.Sprintf("%s in %v", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
