package sandbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/sandbox"
)

// BenchmarkReady measures the time from nothing to Postgres + Redis ready
// (a real query and a PING answered), per provider, with as many Postgres
// servers as "env up" starts for the catalog, and the reuse of an
// environment kept by "env up". Targets on a 2-core machine (make bench's
// table): docker ≤ 3 s, reuse ≤ 0.2 s.
func BenchmarkReady(b *testing.B) {
	ctx := context.Background()
	servers := testenv.Catalog(b).PostgresServers()
	docker := dockerConfig()
	docker.PostgresServers = servers
	for _, p := range []struct {
		name    string
		require func(testing.TB)
		cfg     sandbox.Config
	}{
		{"local", testenv.RequireLocal, sandbox.Config{Provider: sandbox.Local, PostgresServers: servers}},
		{"docker", testenv.RequireDocker, docker},
	} {
		b.Run(p.name, func(b *testing.B) {
			p.require(b)
			samples := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				start := time.Now()
				env, err := sandbox.Start(ctx, p.cfg)
				samples = append(samples, time.Since(start))
				b.StopTimer()
				if stopErr := env.Stop(ctx); err != nil || stopErr != nil {
					b.Fatal(err, stopErr)
				}
				b.StartTimer()
			}
			testenv.ReportSeconds(b, samples)
		})
	}
	b.Run("reuse", func(b *testing.B) {
		testenv.RequireLocal(b)
		env, err := sandbox.Start(ctx, sandbox.Config{Provider: sandbox.Local, PostgresServers: 3})
		defer env.Stop(ctx)
		if err != nil {
			b.Fatal(err)
		}
		ws := b.TempDir()
		if err := sandbox.SaveKept(ws, env); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		samples := make([]time.Duration, 0, b.N)
		for i := 0; i < b.N; i++ {
			start := time.Now()
			if _, err := sandbox.LoadKept(ctx, ws); err != nil {
				b.Fatal(err)
			}
			samples = append(samples, time.Since(start))
		}
		testenv.ReportSeconds(b, samples)
	})
}
