// Package testenv gives tests real, disposable servers through the sandbox
// package, and removes them when the test ends.
package testenv

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
)

// Start returns a running environment with the given number of Postgres
// servers, chosen the way the dblings command chooses (DBLINGS_ENV,
// DBLINGS_PG_URL/DBLINGS_REDIS_URL, then docker, then local binaries). It
// fails the test when no servers can be had: a skipped database test is not a
// passing one.
func Start(tb testing.TB, servers int) *sandbox.Env {
	tb.Helper()
	return StartFor(tb, lessons.Needs{PostgresServers: servers})
}

// StartFor is Start for what lessons need: servers, a replica, a WAL
// archive.
func StartFor(tb testing.TB, needs lessons.Needs) *sandbox.Env {
	tb.Helper()
	env, err := start(needs)
	tb.Cleanup(func() {
		if err := env.Stop(context.Background()); err != nil {
			tb.Errorf("stop environment: %v", err)
		}
	})
	if err != nil {
		tb.Fatalf("start environment: %v", err)
	}
	return env
}

// Shared is one environment for all the tests of a package that may share
// servers (each test on databases of its own): it starts on the first Get,
// and the package's TestMain stops it after m.Run. A package of twenty such
// tests starts its servers once instead of twenty times, and its data sets
// load once.
//
//	var servers = &testenv.Shared{Servers: 1}
//
//	func TestMain(m *testing.M) { os.Exit(servers.Run(m)) }
type Shared struct {
	Servers int // Postgres servers; 0: what the catalog's lessons need (servers, replica, archive)

	once sync.Once
	env  *sandbox.Env
	err  error
}

// Get returns the shared environment, started on the first call; it fails
// the test when no servers can be had.
func (s *Shared) Get(tb testing.TB) *sandbox.Env {
	tb.Helper()
	s.once.Do(func() {
		needs := lessons.Needs{PostgresServers: s.Servers}
		if s.Servers == 0 {
			needs = Catalog(tb).Needs()
		}
		s.env, s.err = start(needs)
	})
	if s.err != nil {
		tb.Fatalf("start environment: %v", s.err)
	}
	return s.env
}

// Run runs the package's tests and then stops the environment if a test
// started it. It returns m.Run's exit code, or 1 when the stop fails.
func (s *Shared) Run(m *testing.M) int {
	code := m.Run()
	if s.env == nil {
		return code
	}
	if err := s.env.Stop(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "stop the shared environment: %v\n", err)
		return max(code, 1)
	}
	return code
}

// start starts an environment the way the dblings command chooses one.
func start(needs lessons.Needs) (*sandbox.Env, error) {
	provider, err := sandbox.ParseProvider(os.Getenv("DBLINGS_ENV"))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	return sandbox.Start(ctx, sandbox.Config{
		Provider:        provider,
		PostgresURLs:    splitComma(os.Getenv("DBLINGS_PG_URL")),
		RedisURL:        os.Getenv("DBLINGS_REDIS_URL"),
		PostgresImage:   os.Getenv("DBLINGS_PG_IMAGE"),
		RedisImage:      os.Getenv("DBLINGS_REDIS_IMAGE"),
		PostgresServers: needs.PostgresServers,
		Replica:         needs.Replica,
		Archive:         needs.Archive,
		ReplicaURL:      os.Getenv("DBLINGS_REPLICA_URL"),
	})
}

func splitComma(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// RequireDocker skips the test when no Docker engine answers, or fails it
// when DBLINGS_REQUIRE_DOCKER=1 (as in CI, where a missing engine is a
// broken machine, not a reason to pass).
func RequireDocker(tb testing.TB) {
	tb.Helper()
	if err := sandbox.DockerAvailable(context.Background()); err != nil {
		if os.Getenv("DBLINGS_REQUIRE_DOCKER") == "1" {
			tb.Fatalf("DBLINGS_REQUIRE_DOCKER=1 but %v", err)
		}
		tb.Skipf("docker tests skipped: %v", err)
	}
}

// RequireLocal fails the test when the local server binaries are missing.
func RequireLocal(tb testing.TB) {
	tb.Helper()
	for _, b := range sandbox.LocalBinaries() {
		if b.Path == "" {
			tb.Fatalf("the local provider needs %s; install PostgreSQL and redis-server", b.Name)
		}
	}
}
