package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/sandbox"
)

// providers lists the providers that start servers, each with its guard.
var providers = []struct {
	name    string
	require func(testing.TB)
}{
	{"local", testenv.RequireLocal},
	{"docker", testenv.RequireDocker},
}

// leftovers counts what a process with the given pid owns: labelled
// containers and local server directories.
func leftovers(t *testing.T, pid int) int {
	t.Helper()
	n := 0
	if sandbox.DockerAvailable(context.Background()) == nil {
		cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
		if err != nil {
			t.Fatal(err)
		}
		defer cli.Close()
		list, err := cli.ContainerList(context.Background(), client.ContainerListOptions{All: true,
			Filters: make(client.Filters).Add("label", "dblings.owner.pid="+strconv.Itoa(pid))})
		if err != nil {
			t.Fatal(err)
		}
		n += len(list.Items)
	}
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "dblings-local-*"))
	for _, d := range dirs {
		b, _ := os.ReadFile(filepath.Join(d, "owner.json"))
		if strings.Contains(string(b), `{"owner":{"pid":`+strconv.Itoa(pid)+`,`) {
			n++
		}
	}
	return n
}

func TestEnvUpStatusDown(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			p.require(t)
			ws := workspace(t)
			up := run(t, ws, "--env", p.name, "env", "up")
			if up.code != 0 {
				t.Fatalf("env up: exit %d\n%s%s", up.code, up.stdout, up.stderr)
			}
			rec, err := sandbox.ReadKept(ws)
			if err != nil {
				t.Fatal(err)
			}
			keeper := rec.OwnerPID()
			if n := len(rec.Postgres); n != 3 {
				t.Errorf("env up started %d Postgres servers, want 3 (the sharding lesson needs them)", n)
			}
			status := run(t, ws, "env", "status")
			if status.code != 0 || !strings.Contains(status.stdout, "ready") || strings.Contains(status.stdout, "xxxxx@") == false {
				t.Errorf("env status: exit %d, want 0 with ready and redacted URLs:\n%s", status.code, status.stdout)
			}
			if again := run(t, ws, "env", "up"); again.code != 0 || !strings.Contains(again.stdout, "already running") {
				t.Errorf("second env up: exit %d\n%s", again.code, again.stdout)
			}
			down := run(t, ws, "env", "down")
			if down.code != 0 {
				t.Fatalf("env down: exit %d\n%s", down.code, down.stderr)
			}
			if n := leftovers(t, keeper); n != 0 {
				t.Errorf("env down left %d containers or directories", n)
			}
			if st := run(t, ws, "env", "status"); st.code != 1 {
				t.Errorf("env status after down: exit %d, want 1", st.code)
			}
		})
	}
}

// TestInterruptLeavesNothing: Ctrl-C on a running env up removes everything.
func TestInterruptLeavesNothing(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			p.require(t)
			fg := startForeground(t, workspace(t), p.name)
			pid := fg.cmd.Process.Pid
			if n := leftovers(t, pid); n == 0 {
				t.Fatal("nothing found while the environment runs: the leftover probe is broken")
			}
			_ = fg.cmd.Process.Signal(syscall.SIGINT)
			select {
			case <-fg.exited:
			case <-time.After(30 * time.Second):
				t.Fatal("env up did not stop within 30s of SIGINT")
			}
			if n := leftovers(t, pid); n != 0 {
				t.Errorf("SIGINT left %d containers or directories", n)
			}
		})
	}
}

// TestKilledOwnerIsReaped: after kill -9 nothing can clean up, so the next
// start must find and remove what was left.
func TestKilledOwnerIsReaped(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			p.require(t)
			fg := startForeground(t, workspace(t), p.name)
			pid := fg.cmd.Process.Pid
			_ = fg.cmd.Process.Kill()
			<-fg.exited
			if n := leftovers(t, pid); n == 0 {
				t.Fatal("kill -9 left nothing: the test cannot show reaping")
			}
			cfg := sandbox.Config{Provider: sandbox.Provider(p.name), PostgresImage: os.Getenv("DBLINGS_PG_IMAGE"), RedisImage: os.Getenv("DBLINGS_REDIS_IMAGE")}
			env, err := sandbox.Start(context.Background(), cfg)
			t.Cleanup(func() { _ = env.Stop(context.Background()) })
			if err != nil {
				t.Fatal(err)
			}
			if n := leftovers(t, pid); n != 0 {
				t.Errorf("the next start left %d stale containers or directories of the killed process", n)
			}
		})
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	ws := workspace(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown env", []string{"--env", "kubernetes", "env", "up"}, "unknown environment"},
		{"malformed url", []string{"--pg-url", "postgres://a b:x/", "--redis-url", "redis://127.0.0.1:1", "env", "up", "--foreground"}, "malformed Postgres URL"},
		{"unreachable url", []string{"--pg-url", "postgres://u:p@127.0.0.1:1/db", "--redis-url", "redis://127.0.0.1:1", "env", "up", "--foreground"}, "cannot reach"},
		{"docker engine gone", []string{"--env", "docker", "env", "up", "--foreground"}, "no Docker engine answers"},
		{"unknown flag", []string{"env", "up", "--bogus"}, "unknown flag"},
		{"bad server count", []string{"env", "up", "--postgres-servers", "0"}, "at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "docker engine gone" {
				t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
			}
			r := run(t, ws, tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, r.stderr)
			}
		})
	}
}
