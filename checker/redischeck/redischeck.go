// Package redischeck gives a check the Redis database the runner prepared
// for it: the learner's client, whose commands a [CommandLog] records, and
// the check's own, untraced. It is apart from package checker so that the
// checks of lessons without Redis do not link go-redis: without it a check
// binary is a sixth smaller, and the link of every edit takes 0.6 s of CPU
// instead of 0.76 s (lesson 1, measured alternately on a loaded machine).
package redischeck

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/contract"
)

// Redis is a check's Redis database.
type Redis struct {
	client, admin *redis.Client
	log           *CommandLog
}

// Open connects to the check's Redis database. It fails the test at once
// when the runner gave the check no Redis (the lesson's lesson.toml must
// ask for it) or Redis does not answer. The clients close when the test
// ends.
func Open(t *testing.T, c *checker.Check) *Redis {
	t.Helper()
	given, err := contract.Read(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if given.Redis == "" {
		t.Fatal("this check uses Redis but the runner gave it none; the lesson's lesson.toml must ask for it (servers.redis = true)")
	}
	r := &Redis{log: &CommandLog{}}
	if r.client, err = newClient(given.Redis, checker.LearnerApp, r.log); err != nil {
		t.Fatalf("the check's Redis URL: %v", err)
	}
	if r.admin, err = newClient(given.Redis, checker.CheckerApp, nil); err != nil {
		t.Fatalf("the check's Redis URL: %v", err)
	}
	t.Cleanup(func() {
		_ = r.client.Close() // nothing left to do about a failed close
		_ = r.admin.Close()
	})
	// Only the check's client: the learner's log stays empty.
	ctx, cancel := context.WithTimeout(c.Ctx(), 15*time.Second)
	defer cancel()
	if err := r.admin.Ping(ctx).Err(); err != nil {
		t.Fatal(fmt.Errorf("the check's Redis does not answer: %w", err))
	}
	return r
}

func newClient(url, app string, log *CommandLog) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	opt.ClientName = app
	rdb := redis.NewClient(opt)
	if log != nil {
		rdb.AddHook(log)
	}
	return rdb, nil
}

// Client is the learner's client: every command sent through it is
// recorded in [Redis.Log].
func (r *Redis) Client() *redis.Client { return r.client }

// Log records the commands sent through [Redis.Client].
func (r *Redis) Log() *CommandLog { return r.log }

// Admin is the check's own client, untraced, for reading TTLs and keys
// without adding to the learner's counts.
func (r *Redis) Admin() *redis.Client { return r.admin }
