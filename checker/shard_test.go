package checker_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
)

func testShards(t *testing.T, env *sandbox.Env) {
	s, _ := startServers(t, env)
	addShards(t, s, 3)
	c := checker.New(t)
	if len(c.Shards()) != 3 || len(c.AdminShards()) != 3 {
		t.Fatalf("%d shards, %d admin shards, want 3", len(c.Shards()), len(c.AdminShards()))
	}
	for i, admin := range c.AdminShards() {
		if _, err := admin.Exec(c.Ctx(), fmt.Sprintf("CREATE TABLE orders AS SELECT %d AS shard", i)); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name    string
		touch   []int // shards the "learner" queries
		touched []int // round trips seen per shard
	}{
		{"a single-customer read touches one shard", []int{1}, []int{0, 1, 0}},
		{"scatter-gather touches them all", []int{0, 1, 2}, []int{1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range c.Shards() {
				c.ShardLog(i).Reset()
			}
			for _, i := range tt.touch {
				var shard int
				if err := c.Shards()[i].QueryRow(c.Ctx(), "SELECT shard FROM orders").Scan(&shard); err != nil || shard != i {
					t.Fatalf("shard %d answered %d, %v: the pools are not in the runner's order", i, shard, err)
				}
			}
			for i, want := range tt.touched {
				if got := c.ShardLog(i).RoundTrips(); got != want {
					t.Errorf("shard %d: %d round trips, want %d", i, got, want)
				}
			}
		})
	}
}

func scenarioLeakShard(t *testing.T) {
	c := checker.New(t)
	if _, err := c.Shards()[1].Acquire(c.Ctx()); err != nil {
		t.Fatal(err)
	}
}

func scenarioNoShards(t *testing.T) {
	c := checker.New(t)
	c.Shards()
	c.Assert("never", true, "not reached without shards", checker.Evidence{})
}

func testShardFailures(t *testing.T, env *sandbox.Env) {
	tests := []struct {
		scenario string
		shards   int
		want     string
	}{
		{"no-shards", 0, "this check needs several Postgres servers but the runner gave it one"},
		{"leak-shard", 2, "connection leaked: 1 connection of the pool of shard 1 still checked out"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			s, _ := startServers(t, env)
			if tt.shards > 0 {
				addShards(t, s, tt.shards)
			}
			out, passed := runScenario(t, tt.scenario, 30*time.Second)
			if passed || !strings.Contains(out, tt.want) {
				t.Errorf("passed=%v, output lacks %q:\n%s", passed, tt.want, out)
			}
		})
	}
}
