package checker_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/redischeck"
	"github.com/dblings/dblings/sandbox"
	"github.com/redis/go-redis/v9"
)

func testCommandLog(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	r := redischeck.Open(t, c)
	prefix := fmt.Sprintf("checker-test:%08x:", rand.Uint32())
	t.Cleanup(func() {
		keys, _ := r.Admin().Keys(context.Background(), prefix+"*").Result()
		if len(keys) > 0 {
			r.Admin().Del(context.Background(), keys...)
		}
	})
	key := prefix + "user:1"

	tests := []struct {
		name       string
		run        func(ctx context.Context, rdb *redis.Client) error
		names      []string // commands recorded, in order
		roundTrips int
		missed     []bool
	}{
		{
			// The first command opens a connection: go-redis sends HELLO,
			// SELECT and CLIENT SETINFO first, which must not count.
			name: "a miss",
			run: func(ctx context.Context, rdb *redis.Client) error {
				err := rdb.Get(ctx, key).Err()
				if err == redis.Nil {
					return nil
				}
				return err
			},
			names: []string{"GET"}, roundTrips: 1, missed: []bool{true},
		},
		{
			name: "set with a ttl, then a hit",
			run: func(ctx context.Context, rdb *redis.Client) error {
				if err := rdb.Set(ctx, key, "ada", 5*time.Minute).Err(); err != nil {
					return err
				}
				return rdb.Get(ctx, key).Err()
			},
			names: []string{"SET", "GET"}, roundTrips: 2, missed: []bool{false, false},
		},
		{
			name: "a pipeline is one round trip",
			run: func(ctx context.Context, rdb *redis.Client) error {
				_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
					p.Get(ctx, key)
					p.TTL(ctx, key)
					p.Del(ctx, key)
					return nil
				})
				return err
			},
			names: []string{"GET", "TTL", "DEL"}, roundTrips: 1, missed: []bool{false, false, false},
		},
		{
			name: "a miss in a pipeline",
			run: func(ctx context.Context, rdb *redis.Client) error {
				_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
					p.Get(ctx, key)
					p.Set(ctx, key, "back", time.Minute)
					return nil
				})
				if err == redis.Nil {
					return nil
				}
				return err
			},
			names: []string{"GET", "SET"}, roundTrips: 1, missed: []bool{true, false},
		},
		{
			name: "new connections add no commands",
			run: func(ctx context.Context, rdb *redis.Client) error {
				var wg sync.WaitGroup
				for range 4 {
					wg.Go(func() { rdb.Exists(ctx, key) })
				}
				wg.Wait()
				return nil
			},
			names: []string{"EXISTS", "EXISTS", "EXISTS", "EXISTS"}, roundTrips: 4,
			missed: []bool{false, false, false, false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := r.Log()
			log.Reset()
			if err := tt.run(c.Ctx(), r.Client()); err != nil {
				t.Fatal(err)
			}
			var names []string
			var missed []bool
			for _, cmd := range log.Commands() {
				names = append(names, cmd.Name)
				missed = append(missed, cmd.Missed())
			}
			if !slices.Equal(names, tt.names) {
				t.Errorf("commands = %v, want %v", names, tt.names)
			}
			if !slices.Equal(missed, tt.missed) {
				t.Errorf("missed = %v, want %v", missed, tt.missed)
			}
			if got := log.RoundTrips(); got != tt.roundTrips {
				t.Errorf("round trips = %d, want %d", got, tt.roundTrips)
			}
		})
	}

	t.Run("arguments and counts", func(t *testing.T) {
		log := r.Log()
		log.Reset()
		if err := r.Client().Set(c.Ctx(), key, "grace", 90*time.Second).Err(); err != nil {
			t.Fatal(err)
		}
		r.Client().Get(c.Ctx(), key)
		r.Client().Get(c.Ctx(), key)
		if log.Count("get") != 2 || log.Count("SET") != 1 || log.Count() != 3 {
			t.Errorf("counts: get %d, set %d, all %d", log.Count("get"), log.Count("SET"), log.Count())
		}
		set := log.Commands("SET")[0].Evidence()
		if want := []string{key, "grace", "ex", "90"}; !slices.Equal(set.Args, want) {
			t.Errorf("SET args = %q, want %q", set.Args, want)
		}
	})

	t.Run("the admin client is not traced", func(t *testing.T) {
		r.Log().Reset()
		r.Admin().Get(c.Ctx(), key)
		if n := r.Log().Count(); n != 0 {
			t.Errorf("admin command recorded: %d", n)
		}
	})
}
