package cli_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/internal/testenv"
)

// TestRoomOnOneSharedServer: a room without Docker shares one Postgres and
// one Redis through the external provider. Ten learners check cache-aside
// at the same moment: four with the reference solution, three with the
// stub, three with the solution and a snooper that keeps trying to open
// the other checks' clones and Redis databases while its check runs.
// Every verdict is right, the snoopers are refused every time, and the
// servers are left as they were: no clone, no role, no Redis user or key
// of a check.
func TestRoomOnOneSharedServer(t *testing.T) {
	env := testenv.Start(t, 1)
	l := testenv.Lesson(t, "cache-aside")
	logs := t.TempDir()
	type learner struct {
		ws, snoopLog string
		wantCode     int
	}
	var room []learner
	for i := range 10 {
		ws := checkout(t)
		le := learner{ws: ws}
		switch {
		case i < 4:
			lay(t, ws, l, "")
		case i < 7:
			le.wantCode = 1 // the stub, as checked out
		default:
			lay(t, ws, l, "")
			le.snoopLog = filepath.Join(logs, filepath.Base(ws)+".log")
			snooper := strings.Replace(readFile(t, filepath.Join("testdata", "snoop.go.txt")), `"SNOOP_LOG"`, `"`+le.snoopLog+`"`, 1)
			writeFile(t, filepath.Join(ws, filepath.Dir(filepath.FromSlash(l.ExercisePath())), "snoop.go"), []byte(snooper))
		}
		room = append(room, le)
	}

	args := []string{"check", l.ID, "--env", "external", "--pg-url", env.Postgres[0].URL, "--redis-url", env.Redis.URL}
	codes := make([]int, len(room))
	var wg sync.WaitGroup
	for i, le := range room {
		wg.Go(func() {
			cmd := exec.Command(binary, args...)
			cmd.Dir = le.ws
			out, _ := cmd.CombinedOutput()
			codes[i] = cmd.ProcessState.ExitCode()
			if codes[i] != le.wantCode {
				t.Errorf("learner %d: exit %d, want %d:\n%s", i, codes[i], le.wantCode, out)
			}
		})
	}
	wg.Wait()

	requireSnoopersRefused(t, room[7].snoopLog, room[8].snoopLog, room[9].snoopLog)
	requireServersClean(t, env.Postgres[0].URL, env.Redis.URL)
}

// requireSnoopersRefused reads the snoopers' logs: every attempt on
// another check's clone or Redis database was refused, and there were
// attempts on both servers, so the refusals mean something.
func requireSnoopersRefused(t *testing.T, logs ...string) {
	t.Helper()
	denied := map[string]int{}
	for _, path := range logs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("a snooper left no log (%v): its check never ran it", err)
			continue
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if strings.HasPrefix(line, "opened ") {
				t.Errorf("a learner's code reached another check: %s", line)
			}
			if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "denied" {
				denied[fields[1]]++
			}
		}
	}
	if denied["postgres"] == 0 || denied["redis"] == 0 {
		t.Errorf("the snoopers were refused %d times on Postgres and %d on Redis; they never met another check", denied["postgres"], denied["redis"])
	}
	t.Logf("refused: %d Postgres connections to other clones, %d Redis SELECTs", denied["postgres"], denied["redis"])
}

// requireServersClean: what the checks made on the shared servers is gone.
func requireServersClean(t *testing.T, pgURL, redisURL string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var clones, roles int
	if err := conn.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM pg_database WHERE datname LIKE 'dbl\_run\_%'),
		(SELECT count(*) FROM pg_roles WHERE rolname LIKE 'dbl\_learner\_%')`).Scan(&clones, &roles); err != nil {
		t.Fatal(err)
	}
	if clones != 0 || roles != 0 {
		t.Errorf("the shared Postgres keeps %d clones and %d learner roles after the room's checks", clones, roles)
	}

	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	users, err := rdb.Do(ctx, "ACL", "USERS").StringSlice()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if strings.HasPrefix(u, "dbl_check_") {
			t.Errorf("the shared Redis keeps the check user %s", u)
		}
	}
	for db := range 16 {
		c := redis.NewClient(&redis.Options{Addr: opts.Addr, Username: opts.Username, Password: opts.Password, DB: db})
		n, err := c.DBSize(ctx).Result()
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("the shared Redis keeps %d keys in database %d", n, db)
		}
	}
}
