//go:build devhx

package lessontest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/testenv"
	"github.com/dblings/dblings/lessons"
)

// Temporary: runs one lesson not yet in the catalog. DEV_LESSON=id,dir,file,fixture,servers DEV_MODE=stub|solution|<answer file>
func TestDevHX(t *testing.T) {
	var l lessons.Lesson
	var servers string
	fmt.Sscanf(os.Getenv("DEV_LESSON"), "%s", new(string))
	parts := splitComma(os.Getenv("DEV_LESSON"))
	l.ID, l.Dir, l.File, l.Fixture, servers = parts[0], parts[1], parts[2], parts[3], parts[4]
	l.PostgresServers, _ = strconv.Atoi(servers)
	env := testenv.Start(t, l.PostgresServers)
	opts := run.Options{Workspace: repoRoot(t), Env: env}
	for _, mode := range splitComma(os.Getenv("DEV_MODE")) {
		o := opts
		switch mode {
		case "stub":
			o.Mode = run.Stub
		case "solution":
			o.Mode = run.Solution
		default:
			content, err := os.ReadFile(mode)
			if err != nil {
				t.Fatal(err)
			}
			o.Replace = map[string][]byte{l.ExercisePath(): content}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		res, err := run.Check(ctx, l, o)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("=== %s: %s (%s) compile %s run %s\n%s", mode, res.Verdict, res.Message, res.Timings.Compile, res.Timings.Run, describe(res))
	}
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
