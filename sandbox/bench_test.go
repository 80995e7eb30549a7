package sandbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/sandbox"
)

// BenchmarkReady measures the time from nothing to Postgres + Redis ready
// (a real query and a PING answered), per provider, and the reuse of an
// environment kept by "env up". Targets on a 2-core machine: docker ≤ 2.5 s,
// local ≤ 1.5 s, reuse ≤ 0.2 s.
func BenchmarkReady(b *testing.B) {
	ctx := context.Background()
	for _, p := range []struct {
		name    string
		require func(testing.TB)
		cfg     sandbox.Config
	}{
		{"local", testenv.RequireLocal, sandbox.Config{Provider: sandbox.Local}},
		{"docker", testenv.RequireDocker, dockerConfig()},
	} {
		b.Run(p.name, func(b *testing.B) {
			p.require(b)
			var total time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				env, err := sandbox.Start(ctx, p.cfg)
				total += time.Since(start)
				b.StopTimer()
				if stopErr := env.Stop(ctx); err != nil || stopErr != nil {
					b.Fatal(err, stopErr)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/ready")
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
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if _, err := sandbox.LoadKept(ctx, ws); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/ready")
	})
}
