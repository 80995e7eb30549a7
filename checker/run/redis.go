package run

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisDatabases is how many logical databases a default Redis has; the
// one the URL names keeps the claims, the others are handed to checks.
const redisDatabases = 16

// redisDB is a Redis logical database claimed for one check. Claims are
// keys (dblings:check-db:<n>) in the URL's own database, set with NX and an
// expiry, so two dblings processes sharing a Redis never share a database.
// The check connects as an ACL user of its own (dbl_check_<token>), with
// no admin or dangerous command (no CONFIG SET, FLUSHALL, MONITOR, KEYS)
// and no way into another database.
type redisDB struct {
	db       int
	url      string // the learner user's URL of the database
	adminURL string // the URL dblings was given: its administrator
	key      string
	token    string
	claims   *redis.Client
}

// checkUserPrefix names the ACL users of checks.
const checkUserPrefix = "dbl_check_"

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
		r := &redisDB{db: db, adminURL: rawURL, key: key, token: token, claims: claims}
		if err := r.prepare(ctx, rawURL); err != nil {
			r.release(context.WithoutCancel(ctx))
			return nil, err
		}
		return r, nil
	}
	claims.Close()
	return nil, fmt.Errorf("all %d Redis logical databases are in use by other dblings checks", redisDatabases-1)
}

// prepare empties the database, drops the users of checks that are gone,
// and makes the check's own user.
func (r *redisDB) prepare(ctx context.Context, rawURL string) error {
	if err := r.flush(ctx); err != nil {
		return err
	}
	if err := r.dropStaleUsers(ctx); err != nil {
		return err
	}
	password, err := randomHex(24)
	if err != nil {
		return err
	}
	// SELECT is allowed for the check's own database only, and MOVE and
	// COPY, which write into another database, not at all: checks that
	// share a Redis neither read nor change each other's keys.
	err = r.claims.Do(ctx, "ACL", "SETUSER", r.user(), "reset", "on", ">"+password,
		"~*", "&*", "+@all", "-@admin", "-@dangerous", "-select", "+select|"+strconv.Itoa(r.db), "-move", "-copy").Err()
	if err != nil {
		return fmt.Errorf("make the check's own Redis user (Redis 6 or later, as a user allowed ACL SETUSER): %w", err)
	}
	u, err := url.Parse(withRedisDB(rawURL, r.db))
	if err != nil {
		return err
	}
	u.User = url.UserPassword(r.user(), password)
	r.url = u.String()
	return nil
}

func (r *redisDB) user() string { return checkUserPrefix + r.token }

// dropStaleUsers deletes the users of checks whose claim is gone: killed
// checks, whose claims expired.
func (r *redisDB) dropStaleUsers(ctx context.Context) error {
	users, err := r.claims.Do(ctx, "ACL", "USERS").StringSlice()
	if err != nil {
		return fmt.Errorf("list the Redis users (Redis 6 or later is needed): %w", err)
	}
	live := map[string]bool{r.user(): true}
	for db := range redisDatabases {
		token, err := r.claims.Get(ctx, "dblings:check-db:"+strconv.Itoa(db)).Result()
		if err == nil {
			live[checkUserPrefix+token] = true
		}
	}
	for _, u := range users {
		if strings.HasPrefix(u, checkUserPrefix) && !live[u] {
			if err := r.claims.Do(ctx, "ACL", "DELUSER", u).Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *redisDB) flush(ctx context.Context) error {
	opts := r.claims.Options()
	c := redis.NewClient(&redis.Options{Addr: opts.Addr, Username: opts.Username, Password: opts.Password, TLSConfig: opts.TLSConfig, DB: r.db})
	defer c.Close()
	return c.FlushDB(ctx).Err()
}

// release empties the database, deletes the check's user and drops the
// claim, if it is still ours.
func (r *redisDB) release(ctx context.Context) error {
	defer r.claims.Close()
	flushErr := r.flush(ctx)
	userErr := r.claims.Do(ctx, "ACL", "DELUSER", r.user()).Err()
	const unclaim = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`
	return errors.Join(flushErr, userErr, r.claims.Eval(ctx, unclaim, []string{r.key}, r.token).Err())
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
