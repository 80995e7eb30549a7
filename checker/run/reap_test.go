package run_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shirou/gopsutil/v4/process"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/internal/owner"
)

// TestLearnerProcessesEndWithTheCheck: whatever the learner's code started
// is gone when the check is over, also a process that left the check's
// process group for a session of its own (setsid).
func TestLearnerProcessesEndWithTheCheck(t *testing.T) {
	env := servers.Get(t)
	opts := options(t, newWorkspace(t), env)
	opts.Replace = answer(t, "setsid.go")
	r, err := run.Check(context.Background(), testLesson, opts)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, m := range regexp.MustCompile(`left behind: pid (\d+)`).FindAllStringSubmatch(r.Output, -1) {
		pid, _ := strconv.Atoi(m[1])
		pids = append(pids, pid)
	}
	if len(pids) != 2 {
		t.Fatalf("the code reported %d processes, want 2 (verdict %s: %s)\n%s", len(pids), r.Verdict, r.Message, r.Output)
	}
	for i, pid := range pids {
		if running(pid, "sleep") {
			t.Errorf("process %d (%s) outlived the check", pid, []string{"in a session of its own", "in the check's group"}[i])
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// TestReapRemovesWhatKilledChecksLeft lays out what a dblings process
// killed in the middle of a check leaves (its folder, a clone still
// connected to, the check binary running on in a session of its own) and
// the same for a live dblings process. Reap removes the first and keeps the
// second.
func TestReapRemovesWhatKilledChecksLeft(t *testing.T) {
	env := servers.Get(t)
	ctx := context.Background()
	template, err := mustFixture(t, "users").EnsureTemplate(ctx, env.PrimaryURL(), fixtures.DefaultScale, fixtures.FixedSeed)
	if err != nil {
		t.Fatal(err)
	}
	killed := killedOwner(t)
	type leftovers struct {
		dir   string
		clone string
		pid   int
	}
	leave := func(o owner.Owner) leftovers {
		dir, err := os.MkdirTemp("", "dblings-check-"+o.Tag()+"-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		if err := os.WriteFile(filepath.Join(dir, "check.test"), []byte("binary"), 0o755); err != nil {
			t.Fatal(err)
		}
		db, err := fixtures.Clone(ctx, env.PrimaryURL(), template, fixtures.OwnedBy(o.Short()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Drop(context.Background()) })
		session, err := pgx.Connect(ctx, db.URL) // the check's connection, never closed
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { session.Close(context.Background()) })
		stray := exec.Command("sleep", "300")
		stray.Env = append(os.Environ(), "DBLINGS_RUN_DIR="+dir)
		stray.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := stray.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { _ = stray.Wait() }()
		t.Cleanup(func() { _ = stray.Process.Kill() })
		return leftovers{dir, db.Name, stray.Process.Pid}
	}
	dead, alive := leave(killed), leave(owner.Self())

	if err := run.Reap(ctx, env); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the killed process be waited for
	for _, tt := range []struct {
		what string
		l    leftovers
		gone bool
	}{{"a killed dblings's", dead, true}, {"a running dblings's", alive, false}} {
		if _, err := os.Stat(tt.l.dir); (err != nil) != tt.gone {
			t.Errorf("%s folder: removed %v, want %v", tt.what, err != nil, tt.gone)
		}
		if exists := databaseExists(t, env.PrimaryURL(), tt.l.clone); exists == tt.gone {
			t.Errorf("%s clone %s: dropped %v, want %v", tt.what, tt.l.clone, !exists, tt.gone)
		}
		if alive := running(tt.l.pid, "sleep"); alive == tt.gone {
			t.Errorf("%s check process: killed %v, want %v", tt.what, !alive, tt.gone)
		}
	}
}

// killedOwner is the owner record of a process that ran and was killed.
func killedOwner(t *testing.T) owner.Owner {
	t.Helper()
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	o := owner.Of(cmd.Process.Pid)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if o.Started == 0 || o.Alive() {
		t.Fatalf("could not make a killed owner: %+v", o)
	}
	return o
}

func mustFixture(t *testing.T, name string) *fixtures.Fixture {
	t.Helper()
	f, err := fixtures.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// running reports whether pid is a live (not zombie) process running name.
func running(pid int, name string) bool {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return false
	}
	if status, err := p.Status(); err != nil || (len(status) > 0 && status[0] == process.Zombie) {
		return false
	}
	cmd, err := p.Cmdline()
	return err == nil && strings.Contains(cmd, name)
}
