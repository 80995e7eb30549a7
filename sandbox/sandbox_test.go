package sandbox_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/moby/moby/client"
	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/sandbox"
)

func dockerConfig() sandbox.Config {
	return sandbox.Config{
		Provider:      sandbox.Docker,
		PostgresImage: os.Getenv("DBLINGS_PG_IMAGE"),
		RedisImage:    os.Getenv("DBLINGS_REDIS_IMAGE"),
	}
}

// TestProvidersStartAnswerAndLeaveNothing starts each provider, proves the
// servers answer a real query and PING, and that Stop leaves nothing behind.
// The one-server environments also start a replica and archive their WAL,
// and prove the capabilities on the way (see testCapabilities): one start
// per provider serves both.
func TestProvidersStartAnswerAndLeaveNothing(t *testing.T) {
	tests := []struct {
		name    string
		servers int
		caps    bool
		config  func(t *testing.T) sandbox.Config
	}{
		{"local", 1, true, func(t *testing.T) sandbox.Config {
			testenv.RequireLocal(t)
			return sandbox.Config{Provider: sandbox.Local}
		}},
		{"local/three-postgres", 3, false, func(t *testing.T) sandbox.Config {
			testenv.RequireLocal(t)
			return sandbox.Config{Provider: sandbox.Local}
		}},
		{"docker", 1, true, func(t *testing.T) sandbox.Config {
			testenv.RequireDocker(t)
			return dockerConfig()
		}},
		{"docker/three-postgres", 3, false, func(t *testing.T) sandbox.Config {
			testenv.RequireDocker(t)
			return dockerConfig()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.config(t)
			cfg.PostgresServers = tt.servers
			cfg.Replica, cfg.Archive = tt.caps, tt.caps
			ctx := context.Background()
			start := time.Now()
			env, err := sandbox.Start(ctx, cfg)
			if err != nil {
				_ = env.Stop(ctx)
				t.Fatalf("start: %v", err)
			}
			t.Logf("ready in %s", time.Since(start).Round(time.Millisecond))
			if tt.caps {
				testCapabilities(t, env)
			}
			if len(env.Postgres) != tt.servers {
				t.Fatalf("got %d Postgres servers, want %d", len(env.Postgres), tt.servers)
			}
			seen := map[string]bool{}
			for _, s := range env.Postgres {
				requireLoopback(t, s.URL)
				requireQuery(t, s.URL)
				seen[hostPort(t, s.URL)] = true
			}
			if len(seen) != tt.servers {
				t.Fatalf("servers share addresses: %v", seen)
			}
			requireLoopback(t, env.Redis.URL)
			requirePing(t, env.Redis.URL)
			if cfg.Provider == sandbox.Docker {
				requireBindingsOnLoopback(t)
			}
			urls := append([]string{env.Redis.URL}, postgresURLs(env)...)
			if env.Replica != nil {
				urls = append(urls, env.Replica.URL)
			}
			if err := env.Stop(ctx); err != nil {
				t.Fatalf("stop: %v", err)
			}
			for _, u := range urls {
				requireClosed(t, u)
			}
			requireNothingLeft(t)
		})
	}
}

// TestExternalUsesAndKeepsServers: the external provider checks the servers
// given by URL and never stops them.
func TestExternalUsesAndKeepsServers(t *testing.T) {
	testenv.RequireLocal(t)
	ctx := context.Background()
	real, err := sandbox.Start(ctx, sandbox.Config{Provider: sandbox.Local})
	t.Cleanup(func() { _ = real.Stop(ctx) })
	if err != nil {
		t.Fatal(err)
	}
	cfg := sandbox.Config{PostgresURLs: []string{real.PrimaryURL()}, RedisURL: real.Redis.URL, PostgresServers: 2}
	ext, err := sandbox.Start(ctx, cfg) // auto-selection picks external when URLs are set
	if err != nil {
		t.Fatal(err)
	}
	if ext.Provider != sandbox.External {
		t.Fatalf("provider = %s, want external when URLs are given", ext.Provider)
	}
	if len(ext.Postgres) != 2 || ext.Postgres[0].Version == "" || ext.Redis.Version == "" {
		t.Fatalf("external environment incomplete: %+v", ext)
	}
	if err := ext.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	requireQuery(t, real.PrimaryURL()) // still there
	requirePing(t, real.Redis.URL)
}

// TestBadInput: every mistake gets a typed, readable error in bounded time.
func TestBadInput(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0") // a port held by something that is not Postgres
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	go acceptAndClose(taken)
	takenURL := "postgres://postgres:x@" + taken.Addr().String() + "/postgres?sslmode=disable"

	tests := []struct {
		name      string
		cfg       sandbox.Config
		env       map[string]string
		wantUsage bool
		want      string
	}{
		{"malformed postgres url", sandbox.Config{PostgresURLs: []string{"postgres://bad host:x/"}, RedisURL: "redis://127.0.0.1:1/0"}, nil, true, "malformed Postgres URL"},
		{"malformed redis url", sandbox.Config{PostgresURLs: []string{takenURL}, RedisURL: "http://nope"}, nil, true, "malformed Redis URL"},
		{"external without redis", sandbox.Config{Provider: sandbox.External, PostgresURLs: []string{takenURL}}, nil, true, "needs both"},
		{"unreachable postgres", sandbox.Config{PostgresURLs: []string{"postgres://postgres:x@127.0.0.1:1/postgres?sslmode=disable"}, RedisURL: "redis://127.0.0.1:1/0"}, nil, false, "cannot reach"},
		{"port taken by another program", sandbox.Config{PostgresURLs: []string{takenURL}, RedisURL: "redis://127.0.0.1:1/0"}, nil, false, "cannot reach"},
		{"docker engine gone", sandbox.Config{Provider: sandbox.Docker}, map[string]string{"DOCKER_HOST": "unix:///nonexistent/docker.sock"}, false, "no Docker engine answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			env, err := sandbox.Start(ctx, tt.cfg)
			_ = env.Stop(ctx)
			if err == nil {
				t.Fatal("expected an error")
			}
			if time.Since(start) > 15*time.Second {
				t.Errorf("took %s to fail", time.Since(start))
			}
			var usage *sandbox.UsageError
			if tt.wantUsage != errors.As(err, &usage) {
				t.Errorf("usage error = %v, want %v: %v", !tt.wantUsage, tt.wantUsage, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), ":x@") {
				t.Errorf("error shows a password: %v", err)
			}
		})
	}
	if _, err := sandbox.ParseProvider("kubernetes"); err == nil || !strings.Contains(err.Error(), "docker, local or external") {
		t.Errorf("unknown provider: %v", err)
	}
}

func acceptAndClose(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		_, _ = c.Write([]byte("HTTP/1.0 400 Bad Request\r\n\r\n"))
		c.Close()
	}
}

func postgresURLs(env *sandbox.Env) []string {
	var out []string
	for _, s := range env.Postgres {
		out = append(out, s.URL)
	}
	return out
}

func hostPort(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func requireLoopback(t *testing.T, raw string) {
	t.Helper()
	if h, _, _ := strings.Cut(hostPort(t, raw), ":"); h != "127.0.0.1" {
		t.Errorf("%s is not on 127.0.0.1", raw)
	}
}

func requireQuery(t *testing.T, u string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_database").Scan(&n); err != nil || n == 0 {
		t.Fatalf("query: %v (n=%d)", err, n)
	}
}

func requirePing(t *testing.T, u string) {
	t.Helper()
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("PING: %v", err)
	}
}

func requireClosed(t *testing.T, u string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", hostPort(t, u), time.Second)
	if err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after Stop", hostPort(t, u))
	}
}

// requireBindingsOnLoopback inspects every labelled container: each
// published port must be bound to 127.0.0.1 only.
func requireBindingsOnLoopback(t *testing.T) {
	t.Helper()
	cli := dockerCLI(t)
	ctx := context.Background()
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{Filters: make(client.Filters).Add("label", sandbox.Label)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) == 0 {
		t.Fatal("no labelled containers while the environment runs")
	}
	for _, c := range list.Items {
		for _, p := range c.Ports {
			if p.PublicPort != 0 && p.IP.String() != "127.0.0.1" {
				t.Errorf("container %s publishes port %d on %s", c.ID[:12], p.PublicPort, p.IP)
			}
		}
		if c.Labels["dblings.owner.pid"] == "" || c.Labels["dblings.created"] == "" {
			t.Errorf("container %s lacks owner labels: %v", c.ID[:12], c.Labels)
		}
	}
}

func dockerCLI(t *testing.T) *client.Client {
	t.Helper()
	cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// requireNothingLeft: no container labelled by this process, no local
// directory owned by it.
func requireNothingLeft(t *testing.T) {
	t.Helper()
	if sandbox.DockerAvailable(context.Background()) == nil {
		if n := ownContainers(t); n != 0 {
			t.Errorf("%d containers of this process left behind", n)
		}
	}
	requireNoLocalDirs(t)
}

// requireNoLocalDirs: no local directory owned by this process.
func requireNoLocalDirs(t *testing.T) {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "dblings-local-*"))
	for _, d := range dirs {
		b, _ := os.ReadFile(filepath.Join(d, "owner.json"))
		if strings.Contains(string(b), `"pid":`+itoa(os.Getpid())+`,`) {
			t.Errorf("local directory %s left behind", d)
		}
	}
}

func ownContainers(t *testing.T) int {
	t.Helper()
	list, err := dockerCLI(t).ContainerList(context.Background(), client.ContainerListOptions{All: true,
		Filters: make(client.Filters).Add("label", "dblings.owner.pid="+itoa(os.Getpid()))})
	if err != nil {
		t.Fatal(err)
	}
	return len(list.Items)
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestKeptEnvironment: a recorded environment is found again while its
// servers answer, marked as kept, and refused once they are gone.
func TestKeptEnvironment(t *testing.T) {
	testenv.RequireLocal(t)
	ctx := context.Background()
	env, err := sandbox.Start(ctx, sandbox.Config{Provider: sandbox.Local})
	t.Cleanup(func() { _ = env.Stop(ctx) })
	if err != nil {
		t.Fatal(err)
	}
	ws := t.TempDir()
	if _, err := sandbox.LoadKept(ctx, ws); !errors.Is(err, sandbox.ErrNoKept) {
		t.Fatalf("empty workspace: got %v, want ErrNoKept", err)
	}
	if err := sandbox.SaveKept(ws, env); err != nil {
		t.Fatal(err)
	}
	kept, err := sandbox.LoadKept(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	if !kept.Kept || kept.PrimaryURL() != env.PrimaryURL() || kept.Redis.URL != env.Redis.URL {
		t.Fatalf("kept environment differs: %+v", kept)
	}
	if err := env.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := sandbox.LoadKept(ctx, ws); err == nil {
		t.Fatal("an environment whose servers are gone was reused")
	}
}
