package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/moby/moby/client"
	"github.com/shirou/gopsutil/v4/process"

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

// TestBadInputExitStatus: a mistake on the command line exits 2, servers
// that cannot be had exit 3 (see the README's exit statuses).
func TestBadInputExitStatus(t *testing.T) {
	ws := workspace(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown env", []string{"--env", "kubernetes", "env", "up"}, 2, "unknown environment"},
		{"malformed url", []string{"--pg-url", "postgres://a b:x/", "--redis-url", "redis://127.0.0.1:1", "env", "up", "--foreground"}, 2, "malformed Postgres URL"},
		{"malformed url, kept", []string{"--pg-url", "postgres://a b:x/", "--redis-url", "redis://127.0.0.1:1", "env", "up"}, 2, "malformed Postgres URL"},
		{"unreachable url", []string{"--pg-url", "postgres://u:p@127.0.0.1:1/db", "--redis-url", "redis://127.0.0.1:1", "env", "up", "--foreground"}, 3, "cannot reach"},
		{"docker engine gone", []string{"--env", "docker", "env", "up", "--foreground"}, 3, "no Docker engine answers"},
		{"unknown flag", []string{"env", "up", "--bogus"}, 2, "unknown flag"},
		{"bad server count", []string{"env", "up", "--postgres-servers", "0"}, 2, "at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "docker engine gone" {
				t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
			}
			r := run(t, ws, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, r.stderr)
			}
		})
	}
}

// envUp runs "env up" and returns the keeper's pid; the environment is
// taken down when the test ends, whatever happened. One Postgres server is
// enough for the tests of an environment's life (TestEnvUpStatusDown proves
// the catalog's three), and spares two server starts each.
func envUp(t *testing.T, ws, provider string) int {
	t.Helper()
	t.Cleanup(func() { run(t, ws, "env", "down") })
	up := run(t, ws, "--env", provider, "env", "up", "--postgres-servers", "1")
	if up.code != 0 {
		t.Fatalf("env up: exit %d\n%s%s", up.code, up.stdout, up.stderr)
	}
	rec, err := sandbox.ReadKept(ws)
	if err != nil {
		t.Fatal(err)
	}
	return rec.OwnerPID()
}

// processAlive reports whether pid is a running process (a zombie is not).
func processAlive(pid int) bool {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return false
	}
	status, err := p.Status()
	return err == nil && !(len(status) > 0 && status[0] == process.Zombie)
}

// TestLostRecordKeeperIsFound: after .dblings is deleted, "env status"
// says the keeper still runs and fails, and "env down" stops the keeper and
// removes its servers.
func TestLostRecordKeeperIsFound(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			p.require(t)
			ws := workspace(t)
			keeper := envUp(t, ws, p.name)
			if err := os.RemoveAll(filepath.Join(ws, ".dblings")); err != nil {
				t.Fatal(err)
			}
			st := run(t, ws, "env", "status")
			if st.code == 0 || !strings.Contains(st.stdout, strconv.Itoa(keeper)) {
				t.Errorf("env status without env.json: exit %d, want non-zero naming keeper pid %d:\n%s", st.code, keeper, st.stdout)
			}
			down := run(t, ws, "env", "down")
			if down.code != 0 || !strings.Contains(down.stdout, "stopped") {
				t.Errorf("env down without env.json: exit %d\n%s%s", down.code, down.stdout, down.stderr)
			}
			if processAlive(keeper) {
				t.Errorf("the keeper (pid %d) survived env down", keeper)
			}
			if n := leftovers(t, keeper); n != 0 {
				t.Errorf("env down left %d containers or directories of the keeper", n)
			}
		})
	}
}

// TestDeadEnvironmentIsReplaced: the servers of a kept environment are
// removed by hand. "env status" fails, "env up" replaces the environment
// and stops the old keeper, and "env down" leaves nothing of either.
func TestDeadEnvironmentIsReplaced(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			p.require(t)
			ws := workspace(t)
			first := envUp(t, ws, p.name)
			removeServers(t, first)
			st := run(t, ws, "env", "status")
			if st.code == 0 || !strings.Contains(st.stdout, "not answering") {
				t.Errorf("env status with its servers gone: exit %d, want non-zero and \"not answering\":\n%s", st.code, st.stdout)
			}
			up := run(t, ws, "--env", p.name, "env", "up", "--postgres-servers", "1")
			if up.code != 0 || !strings.Contains(up.stdout, "Replacing") {
				t.Fatalf("env up over a dead environment: exit %d\n%s%s", up.code, up.stdout, up.stderr)
			}
			rec, err := sandbox.ReadKept(ws)
			if err != nil {
				t.Fatal(err)
			}
			second := rec.OwnerPID()
			if second == first || processAlive(first) {
				t.Errorf("the old keeper (pid %d) still runs beside the new one (pid %d)", first, second)
			}
			if st := run(t, ws, "env", "status"); st.code != 0 || !strings.Contains(st.stdout, "ready") {
				t.Errorf("env status of the new environment: exit %d\n%s", st.code, st.stdout)
			}
			if down := run(t, ws, "env", "down"); down.code != 0 {
				t.Errorf("env down: exit %d\n%s", down.code, down.stderr)
			}
			for _, keeper := range []int{first, second} {
				if processAlive(keeper) {
					t.Errorf("keeper %d survived env down", keeper)
				}
				if n := leftovers(t, keeper); n != 0 {
					t.Errorf("keeper %d left %d containers or directories", keeper, n)
				}
			}
		})
	}
}

// removeServers removes the servers a keeper started, as a learner who
// removes containers by hand (or kills the local servers) does.
func removeServers(t *testing.T, keeper int) {
	t.Helper()
	ctx := context.Background()
	if sandbox.DockerAvailable(ctx) == nil {
		cli, err := client.New(client.FromEnv, client.WithAPIVersionNegotiation())
		if err != nil {
			t.Fatal(err)
		}
		defer cli.Close()
		list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true,
			Filters: make(client.Filters).Add("label", "dblings.owner.pid="+strconv.Itoa(keeper))})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list.Items {
			if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "dblings-local-*"))
	for _, d := range dirs {
		var rec struct {
			Owner     struct{ PID int }
			Processes []struct{ PID int }
		}
		b, _ := os.ReadFile(filepath.Join(d, "owner.json"))
		if json.Unmarshal(b, &rec) != nil || rec.Owner.PID != keeper {
			continue
		}
		for _, p := range rec.Processes {
			_ = syscall.Kill(p.PID, syscall.SIGKILL)
		}
	}
	time.Sleep(200 * time.Millisecond)
}

// TestKeeperGetsNoPasswordsOnItsCommandLine: with the external provider
// the keeper must get the URLs without showing their passwords to every
// local user in ps, whether they came as flags or environment variables.
func TestKeeperGetsNoPasswordsOnItsCommandLine(t *testing.T) {
	testenv.RequireLocal(t)
	ctx := context.Background()
	servers, err := sandbox.Start(ctx, sandbox.Config{Provider: sandbox.Local})
	t.Cleanup(func() { _ = servers.Stop(ctx) })
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(servers.PrimaryURL())
	password, _ := u.User.Password()
	for _, how := range []string{"flags", "environment"} {
		t.Run(how, func(t *testing.T) {
			ws := workspace(t)
			args := []string{"env", "up"}
			if how == "flags" {
				args = append([]string{"--pg-url", servers.PrimaryURL(), "--redis-url", servers.Redis.URL}, args...)
			} else {
				t.Setenv("DBLINGS_PG_URL", servers.PrimaryURL())
				t.Setenv("DBLINGS_REDIS_URL", servers.Redis.URL)
			}
			t.Cleanup(func() { run(t, ws, "env", "down") })
			if up := run(t, ws, args...); up.code != 0 {
				t.Fatalf("env up: exit %d\n%s%s", up.code, up.stdout, up.stderr)
			}
			rec, err := sandbox.ReadKept(ws)
			if err != nil {
				t.Fatal(err)
			}
			p, err := process.NewProcess(int32(rec.OwnerPID()))
			if err != nil {
				t.Fatal(err)
			}
			cmdline, err := p.Cmdline()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(cmdline, password) {
				t.Errorf("the keeper's command line shows the password: %s", cmdline)
			}
			if rec.Provider != sandbox.External || rec.PrimaryURL() != servers.PrimaryURL() {
				t.Errorf("the keeper kept %s %s, want the external servers", rec.Provider, rec.PrimaryURL())
			}
		})
	}
}

// TestSimultaneousEnvUps: four "env up --env local" in four workspaces,
// started together, three times over: all twelve must start. Two Postgres
// servers each are enough to copy a data directory while another server
// starts. What races is the servers of different environments starting at
// once (a port chosen by two, a data directory copied while a server
// starts): every env up also starts the catalog's replica and Redis, so a
// round starts sixteen servers at once, more than the twelve a round
// started when this test had ten rounds. Each env up costs about 5 s of
// CPU: forty of them took three and a half minutes of CPU of CI.
func TestSimultaneousEnvUps(t *testing.T) {
	testenv.RequireLocal(t)
	const rounds, together = 3, 4
	started := 0
	begin := time.Now()
	for round := range rounds {
		wss := make([]string, together)
		for i := range wss {
			wss[i] = workspace(t)
		}
		roundStart := time.Now()
		ups := runTogether(wss, "--env", "local", "env", "up", "--postgres-servers", "2")
		upTook := time.Since(roundStart)
		for i, r := range ups {
			if r.code == 0 {
				started++
			} else {
				t.Errorf("round %d, workspace %d: env up exit %d\n%s%s", round+1, i+1, r.code, r.stdout, r.stderr)
			}
		}
		for i, r := range runTogether(wss, "env", "down") {
			if r.code != 0 {
				t.Errorf("round %d, workspace %d: env down exit %d\n%s", round+1, i+1, r.code, r.stderr)
			}
		}
		t.Logf("round %d: up %s, down %s", round+1, upTook.Round(time.Millisecond), (time.Since(roundStart) - upTook).Round(time.Millisecond))
	}
	t.Logf("%d of %d environments started, in %s", started, rounds*together, time.Since(begin).Round(time.Second))
}

// runTogether runs dblings with the same arguments in each workspace at
// once and returns the results in order.
func runTogether(wss []string, args ...string) []result {
	results := make([]result, len(wss))
	var wg sync.WaitGroup
	for i, ws := range wss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, args...)
			cmd.Dir = ws
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			results[i] = result{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
			if err != nil && cmd.ProcessState == nil {
				results[i] = result{code: -1, stderr: err.Error()}
			}
		}()
	}
	wg.Wait()
	return results
}

// strayChild is a learner's file that starts a process in a session of its
// own when the check binary starts, then lingers, so that kills land while
// the check runs.
const strayChild = `package optimisticlocking

import (
	"os/exec"
	"syscall"
	"time"
)

func init() {
	cmd := exec.Command("sleep", "300")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	_ = cmd.Start()
	time.Sleep(2 * time.Second)
}
`

// TestKilledChecksLeaveNothing is the kill test: ten kill -9s of "dblings
// check" at random moments on an "env up" environment, then one more
// check, must leave no clone database, no temporary folder and no stray
// process. The learner's code starts a process in a session of its own, as
// "setsid" does.
func TestKilledChecksLeaveNothing(t *testing.T) {
	testenv.RequireLocal(t)
	// A temporary folder of the test's own, so that only this test's
	// folders and processes are counted. As root the servers run as
	// "nobody", which must be able to enter it.
	tmp, err := os.MkdirTemp("", "dbk")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	if err := os.Chmod(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)
	ws := workspace(t)
	const lesson, dir = "optimistic-locking", "exercises/04-optimistic-locking"
	for from, to := range map[string]string{"../../go.mod": "go.mod", "../../go.sum": "go.sum", "../../" + dir + "/locking.go": dir + "/locking.go"} {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(ws, to), data)
	}
	writeFile(t, filepath.Join(ws, dir, "stray.go"), []byte(strayChild))
	keeper := envUp(t, ws, "local")
	rec, err := sandbox.ReadKept(ws)
	if err != nil {
		t.Fatal(err)
	}

	// One check to the end first: it loads the fixture and warms the
	// build cache, and its length bounds the moments to kill at.
	start := time.Now()
	if r := run(t, ws, "check", lesson); r.code != 1 {
		t.Fatalf("check of the untouched stub: exit %d, want 1 (failed)\n%s%s", r.code, r.stdout, r.stderr)
	}
	full := time.Since(start)
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("a full check takes %s; kill moments drawn with seed %d", full.Round(time.Millisecond), seed)
	// Every other kill waits for the check's clone to exist first, so that
	// half of them land while the check binary runs, whatever the timing.
	var moments []string
	for i := range 10 {
		before := cloneNames(t, rec)
		cmd := exec.Command(binary, "check", lesson)
		cmd.Dir = ws
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		moment := "at random"
		if i%2 == 1 && waitForNewClone(t, rec, before, 2*full) {
			moment = "running"
		}
		after := time.Duration(rng.Int64N(int64(full)))
		if moment == "running" {
			after = time.Duration(rng.Int64N(int64(2 * time.Second)))
		}
		time.Sleep(after)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		moments = append(moments, fmt.Sprintf("%s %s", moment, after.Round(10*time.Millisecond)))
	}
	clones, folders, strays := leftAfterChecks(t, rec, tmp, keeper)
	t.Logf("after 10 kills (at %s): %d clone databases, %d folders, %d stray processes", strings.Join(moments, ", "), clones, folders, len(strays))

	if r := run(t, ws, "check", lesson); r.code != 1 {
		t.Errorf("the check after the kills: exit %d, want 1 (failed)\n%s%s", r.code, r.stdout, r.stderr)
	}
	clones, folders, strays = leftAfterChecks(t, rec, tmp, keeper)
	t.Logf("after one more check: %d clone databases, %d folders, %d stray processes", clones, folders, len(strays))
	if clones+folders+len(strays) != 0 {
		t.Errorf("left behind: %d clone databases, %d folders in %s, stray processes %v", clones, folders, tmp, strays)
	}
}

// cloneNames lists the clone databases on the kept environment's servers.
func cloneNames(t *testing.T, rec *sandbox.KeptRecord) []string {
	t.Helper()
	ctx := context.Background()
	var names []string
	for _, s := range rec.Postgres {
		conn, err := pgx.Connect(ctx, s.URL)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'dbl\_run\_%'`)
		if err != nil {
			t.Fatal(err)
		}
		found, err := pgx.CollectRows(rows, pgx.RowTo[string])
		conn.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, found...)
	}
	return names
}

// waitForNewClone waits until a clone that is not in before exists, and
// reports whether one came within limit.
func waitForNewClone(t *testing.T, rec *sandbox.KeptRecord, before []string, limit time.Duration) bool {
	t.Helper()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, name := range cloneNames(t, rec) {
			if !slices.Contains(before, name) {
				return true
			}
		}
	}
	return false
}

// leftAfterChecks counts what checks left: clone databases on the kept
// environment's servers, check and build folders in tmp, and processes
// started with TMPDIR=tmp other than the keeper and its servers.
func leftAfterChecks(t *testing.T, rec *sandbox.KeptRecord, tmp string, keeper int) (clones, folders int, strays []string) {
	t.Helper()
	clones = len(cloneNames(t, rec))
	for _, pattern := range []string{"dblings-check-*", "go-build*"} {
		found, _ := filepath.Glob(filepath.Join(tmp, pattern))
		folders += len(found)
	}
	pids, _ := process.Pids()
	for _, pid := range pids {
		p, err := process.NewProcess(pid)
		if err != nil || int(pid) == os.Getpid() || int(pid) == keeper || !processAlive(int(pid)) {
			continue
		}
		env, _ := p.Environ()
		if !slices.Contains(env, "TMPDIR="+tmp) {
			continue
		}
		if name, _ := p.Name(); name == "postgres" || name == "redis-server" {
			continue
		}
		cmd, _ := p.Cmdline()
		strays = append(strays, fmt.Sprintf("%d %s", pid, cmd))
	}
	return clones, folders, strays
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestEnvUpStartsTheReplicaALessonNeeds: a catalog with a lesson that
// declares replica = true and archive = true (here a pack's) makes env up
// start a streaming replica and WAL archiving; the record keeps them,
// status and doctor show them, and down removes them with the rest.
func TestEnvUpStartsTheReplicaALessonNeeds(t *testing.T) {
	testenv.RequireLocal(t)
	pack := t.TempDir()
	if err := os.CopyFS(pack, os.DirFS(examplePack())); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(pack, "lessons", "01-count-posts", "lesson.toml")
	mustWrite(t, manifest, readFile(t, manifest)+"replica = true\narchive = true\n")
	ws := workspace(t)
	flags := []string{"--env", "local", "--pack", pack}
	up := run(t, ws, append(flags, "env", "up", "--postgres-servers", "1")...)
	if up.code != 0 {
		t.Fatalf("env up: exit %d\n%s%s", up.code, up.stdout, up.stderr)
	}
	rec, err := sandbox.ReadKept(ws)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Replica == nil || rec.Archive == "" || rec.Archived == nil {
		t.Errorf("env up recorded no replica, archive or archiving server: %+v", rec.Env)
	}
	status := run(t, ws, append(flags, "env", "status")...)
	if status.code != 0 || !strings.Contains(status.stdout, "replica") || !strings.Contains(status.stdout, "archiving") || !strings.Contains(status.stdout, "WAL archive") {
		t.Errorf("env status: exit %d, want the replica and the archive:\n%s", status.code, status.stdout)
	}
	doctor := run(t, ws, append(flags, "doctor")...)
	for _, want := range []string{"✓ replica            streaming", "✓ WAL archive        archiving to", "✓ pg_stat_statements"} {
		if !strings.Contains(doctor.stdout, want) {
			t.Errorf("doctor does not say %q:\n%s", want, doctor.stdout)
		}
	}
	if down := run(t, ws, "env", "down"); down.code != 0 {
		t.Fatalf("env down: exit %d\n%s", down.code, down.stderr)
	}
	if n := leftovers(t, rec.OwnerPID()); n != 0 {
		t.Errorf("env down left %d containers or directories", n)
	}
}
