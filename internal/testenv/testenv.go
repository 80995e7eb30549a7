// Package testenv gives tests real, disposable servers through the sandbox
// package, and removes them when the test ends.
package testenv

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/dblings/dblings/sandbox"
)

// Start returns a running environment with the given number of Postgres
// servers, chosen the way the dblings command chooses (DBLINGS_ENV,
// DBLINGS_PG_URL/DBLINGS_REDIS_URL, then docker, then local binaries). It
// fails the test when no servers can be had: a skipped database test is not a
// passing one.
func Start(tb testing.TB, servers int) *sandbox.Env {
	tb.Helper()
	provider, err := sandbox.ParseProvider(os.Getenv("DBLINGS_ENV"))
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	env, err := sandbox.Start(ctx, sandbox.Config{
		Provider:        provider,
		PostgresURLs:    splitComma(os.Getenv("DBLINGS_PG_URL")),
		RedisURL:        os.Getenv("DBLINGS_REDIS_URL"),
		PostgresImage:   os.Getenv("DBLINGS_PG_IMAGE"),
		RedisImage:      os.Getenv("DBLINGS_REDIS_IMAGE"),
		PostgresServers: servers,
	})
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
