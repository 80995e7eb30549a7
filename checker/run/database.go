package run

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/checker/contract"
	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/lessons"
)

// EnvironmentError says that the servers could not give a check its
// databases. It is never the learner's fault.
type EnvironmentError struct {
	Step string
	Err  error
}

func (e *EnvironmentError) Error() string {
	return fmt.Sprintf("the database environment failed while %s: %v", e.Step, e.Err)
}

func (e *EnvironmentError) Unwrap() error { return e.Err }

// databases are one check's own: a clone of the lesson's fixture on each
// server it needs, and a claimed, flushed Redis logical database.
type databases struct {
	clones []*fixtures.Database
	redis  *redisDB
}

// prepareDatabases makes the databases for one run of lesson l. On error,
// what was made is already removed.
func prepareDatabases(ctx context.Context, l lessons.Lesson, opts Options) (*databases, error) {
	servers := max(1, l.PostgresServers)
	if len(opts.Env.Postgres) < servers {
		return nil, &EnvironmentError{Step: "choosing servers", Err: fmt.Errorf("lesson %s needs %d Postgres servers and the environment has %d", l.ID, servers, len(opts.Env.Postgres))}
	}
	fixture, err := fixtures.Lookup(l.Fixture)
	if err != nil {
		return nil, &EnvironmentError{Step: "finding the lesson's data set", Err: err}
	}
	d := &databases{}
	for _, server := range opts.Env.Postgres[:servers] {
		template, err := fixture.EnsureTemplate(ctx, server.URL, fixtures.DefaultScale)
		if err != nil {
			d.release(context.WithoutCancel(ctx))
			return nil, &EnvironmentError{Step: "loading the " + l.Fixture + " data set", Err: err}
		}
		clone, err := fixtures.Clone(ctx, server.URL, template)
		if err != nil {
			d.release(context.WithoutCancel(ctx))
			return nil, &EnvironmentError{Step: "copying the " + l.Fixture + " data set", Err: err}
		}
		d.clones = append(d.clones, clone)
	}
	if !l.Redis {
		return d, nil
	}
	// The claim outlives the run by a margin, and expires by itself if this
	// process dies.
	d.redis, err = claimRedis(ctx, opts.Env.Redis.URL, opts.timeout()+compileLimit)
	if err != nil {
		d.release(context.WithoutCancel(ctx))
		return nil, &EnvironmentError{Step: "preparing a Redis database", Err: err}
	}
	return d, nil
}

// environ is the check process's part of the contract: its databases and
// its report file.
func (d *databases) environ(report string) (string, error) {
	given := contract.Check{Report: report}
	if d.redis != nil {
		given.Redis = d.redis.url
	}
	for _, c := range d.clones {
		given.Postgres = append(given.Postgres, c.URL)
	}
	return given.Environ()
}

// release drops the clones and gives the Redis database back, and returns
// what it could not clean. It runs even after the check was killed, so a
// clone may still have sessions: Drop forces them off (DROP DATABASE …
// WITH (FORCE)), and is tried twice, since the server may still be busy
// with the killed process's sessions.
func (d *databases) release(ctx context.Context) []string {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var problems []string
	for _, c := range d.clones {
		if err := c.Drop(ctx); err != nil {
			if err = c.Drop(ctx); err != nil {
				problems = append(problems, fmt.Sprintf("could not drop the check database %s: %v", c.Name, err))
			}
		}
	}
	d.clones = nil
	if d.redis != nil {
		if err := d.redis.release(ctx); err != nil {
			problems = append(problems, fmt.Sprintf("could not clean Redis database %d: %v", d.redis.db, err))
		}
		d.redis = nil
	}
	return problems
}

// redisDatabases is how many logical databases a default Redis has; the
// one the URL names keeps the claims, the others are handed to checks.
const redisDatabases = 16

// redisDB is a Redis logical database claimed for one check. Claims are
// keys (dblings:check-db:<n>) in the URL's own database, set with NX and an
// expiry, so two dblings processes sharing a Redis never share a database.
type redisDB struct {
	db     int
	url    string
	key    string
	token  string
	claims *redis.Client
}

func claimRedis(ctx context.Context, rawURL string, hold time.Duration) (*redisDB, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("the Redis URL cannot be read: %w", err)
	}
	claims := redis.NewClient(opts)
	token := strconv.FormatUint(rand.Uint64(), 36)
	// Start at a random database so concurrent runners rarely collide.
	first := rand.IntN(redisDatabases)
	for i := range redisDatabases {
		db := (first + i) % redisDatabases
		if db == opts.DB {
			continue
		}
		key := "dblings:check-db:" + strconv.Itoa(db)
		ok, err := claims.SetNX(ctx, key, token, hold).Result()
		if err != nil {
			claims.Close()
			return nil, err
		}
		if !ok {
			continue
		}
		r := &redisDB{db: db, key: key, token: token, claims: claims, url: withRedisDB(rawURL, db)}
		if err := r.flush(ctx); err != nil {
			r.release(context.WithoutCancel(ctx))
			return nil, err
		}
		return r, nil
	}
	claims.Close()
	return nil, fmt.Errorf("all %d Redis logical databases are in use by other dblings checks", redisDatabases-1)
}

func (r *redisDB) flush(ctx context.Context) error {
	opts := r.claims.Options()
	c := redis.NewClient(&redis.Options{Addr: opts.Addr, Username: opts.Username, Password: opts.Password, TLSConfig: opts.TLSConfig, DB: r.db})
	defer c.Close()
	return c.FlushDB(ctx).Err()
}

// release empties the database and drops the claim, if it is still ours.
func (r *redisDB) release(ctx context.Context) error {
	defer r.claims.Close()
	flushErr := r.flush(ctx)
	const unclaim = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`
	return errors.Join(flushErr, r.claims.Eval(ctx, unclaim, []string{r.key}, r.token).Err())
}

// withRedisDB points a redis:// URL at logical database db.
func withRedisDB(rawURL string, db int) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	u.Path = "/" + strconv.Itoa(db)
	q := u.Query()
	q.Del("db") // go-redis also reads the database from ?db=
	u.RawQuery = q.Encode()
	return u.String()
}
