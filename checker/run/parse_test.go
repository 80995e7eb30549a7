package run

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dblings/dblings/lessons"
)

func TestParseDiagnostics(t *testing.T) {
	ws := "/home/ada/dblings"
	b := &build{dir: "/tmp/dblings-check-123", opts: Options{Workspace: ws},
		origins: map[string]string{"/tmp/dblings-check-123/overlay/3-index.go": ws + "/exercises/01-x/index.go"}}
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"relative path, header dropped",
			[]string{"# github.com/dblings/dblings/exercises/01-x", "exercises/01-x/index.go:12:3: undefined: foo"},
			[]string{"exercises/01-x/index.go:12:3: undefined: foo"}},
		{"overlay content file named by the file it stands for",
			[]string{"../../tmp/dblings-check-123/overlay/3-index.go:4:9: missing return"},
			[]string{"exercises/01-x/index.go:4:9: missing return"}},
		{"the compiler's odd shortening of sibling folders",
			[]string{".-check-123/overlay/3-index.go:4:9: missing return"},
			[]string{"exercises/01-x/index.go:4:9: missing return"}},
		{"continuation lines join their message",
			[]string{"exercises/01-x/index.go:7:2: cannot use x (variable of type int) as string value", "\thave int", "\twant string"},
			[]string{"exercises/01-x/index.go:7:2: cannot use x (variable of type int) as string value\nhave int\nwant string"}},
		{"no column",
			[]string{"exercises/01-x/index.go:7: syntax error"},
			[]string{"exercises/01-x/index.go:7: syntax error"}},
		{"absolute path inside the workspace",
			[]string{ws + "/exercises/01-x/index.go:1:1: expected 'package', found 'EOF'"},
			[]string{"exercises/01-x/index.go:1:1: expected 'package', found 'EOF'"}},
		{"go command error without position",
			[]string{"go: updates to go.mod needed; to update it:", "\tgo mod tidy"},
			[]string{"go: updates to go.mod needed; to update it:\ngo mod tidy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range parseDiagnostics(tt.lines, b.relPath) {
				got = append(got, d.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

const panicOutput = `--- FAIL: TestCountPosts (0.01s)
panic: assignment to entry in nil map [recovered, repanicked]

goroutine 19 [running]:
testing.tRunner.func1.2({0x55a740, 0x6cacb0})
	/usr/local/go/src/testing/testing.go:1974 +0x232
panic({0x55a740?, 0x6cacb0?})
	/usr/local/go/src/runtime/panic.go:860 +0x13a
github.com/dblings/dblings/exercises/90-runner.(*Counter).Count(...)
	/ws/exercises/90-runner/work.go:12
github.com/dblings/dblings/exercises/90-runner.TestCountPosts(0x27c570bd4248?)
	/ws/exercises/90-runner/check_test.go:40 +0x3
created by testing.(*T).Run in goroutine 1
	/usr/local/go/src/testing/testing.go:2101 +0x4c5

goroutine 1 [chan receive]:
github.com/dblings/dblings/exercises/90-runner.helper()
	/ws/exercises/90-runner/work.go:30 +0x1
`

const timeoutOutput = `panic: test timed out after 3s
	running tests:
		TestCountPosts (3s)

goroutine 7 [running]:
testing.(*M).startAlarm.func1()
	/usr/local/go/src/testing/testing.go:2682 +0x345
created by time.goFunc
	/usr/local/go/src/time/sleep.go:215 +0x2d

goroutine 6 [runnable]:
github.com/dblings/dblings/exercises/90-runner.CountPosts({0x6f1d28?, 0xc0?}, 0x0?)
	/ws/exercises/90-runner/work.go:12 +0x12
github.com/dblings/dblings/exercises/90-runner.TestCountPosts(0xc000003500)
	/ws/exercises/90-runner/check_test.go:52 +0x2b2
`

func TestFindCrash(t *testing.T) {
	b := &build{lesson: lessons.Lesson{Dir: "90-runner"}, opts: Options{Workspace: "/ws"}, module: "github.com/dblings/dblings"}
	tests := []struct {
		name     string
		output   string
		timedOut bool
		message  string
		frames   []Frame
	}{
		{"panic: the panicking goroutine's learner frames only", panicOutput, false,
			"assignment to entry in nil map", []Frame{{Function: "(*Counter).Count", File: "exercises/90-runner/work.go", Line: 12}}},
		{"timeout: learner frames of every goroutine", timeoutOutput, true,
			"test timed out after 3s", []Frame{{Function: "CountPosts", File: "exercises/90-runner/work.go", Line: 12}}},
		{"-trimpath names files by module path", strings.ReplaceAll(panicOutput, "\t/ws/", "\tgithub.com/dblings/dblings/"), false,
			"assignment to entry in nil map", []Frame{{Function: "(*Counter).Count", File: "exercises/90-runner/work.go", Line: 12}}},
		{"fatal runtime error", "fatal error: concurrent map writes\n\ngoroutine 5 [running]:\nexample.F()\n\t/ws/exercises/90-runner/work.go:3 +0x1\n", false,
			"fatal error: concurrent map writes", []Frame{{Function: "F", File: "exercises/90-runner/work.go", Line: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, timedOut := findCrash(tt.output, b.learnerFile)
			if c == nil {
				t.Fatal("no crash found")
			}
			if timedOut != tt.timedOut || c.Message != tt.message || !slices.Equal(c.Frames, tt.frames) {
				t.Errorf("got %v %q %v\nwant %v %q %v", timedOut, c.Message, c.Frames, tt.timedOut, tt.message, tt.frames)
			}
		})
	}
	if c, _ := findCrash("=== RUN TestX\n--- FAIL: TestX\n    x_test.go:3: panic: not at line start\n", b.learnerFile); c != nil {
		t.Errorf("found a crash in ordinary output: %+v", c)
	}
}

func TestClipKeepsHeadAndTail(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"all fits", []string{"ab\n", "cd\n"}, "ab\ncd\n"},
		{"exactly the limits", []string{"first\n", "0123456789\n"}, "first\n0123456789\n"},
		{"the middle is left out at line boundaries",
			append(append([]string{"first line\n"}, slices.Repeat([]string{"0123\n"}, 100)...), "last\n"),
			"first line\n[… 495 bytes of output left out: the first 11 and the last 10 are kept]\n0123\nlast\n"},
		{"one long write", []string{"head\n" + strings.Repeat("x", 1000) + "\nend\n"},
			"head\n[… 1001 bytes of output left out: the first 5 and the last 4 are kept]\nend\n"},
	}
	for _, tt := range tests {
		c := newClip(12, 12)
		for _, w := range tt.writes {
			if n, err := c.Write([]byte(w)); n != len(w) || err != nil {
				t.Fatalf("%s: Write = %d, %v", tt.name, n, err)
			}
		}
		if got := c.String(); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestLineWriterSplitsAcrossWrites(t *testing.T) {
	var lines []string
	w := &lineWriter{fn: func(b []byte) { lines = append(lines, string(b)) }}
	for _, chunk := range []string{"a", "b\nc", "\n\nd"} {
		w.Write([]byte(chunk))
	}
	w.Flush()
	if want := []string{"ab", "c", "", "d"}; !slices.Equal(lines, want) {
		t.Errorf("lines = %q, want %q", lines, want)
	}
}

func TestPlanOverlay(t *testing.T) {
	ws := t.TempDir()
	lesson := lessons.Lesson{ID: "x", Dir: "01-x"}
	const check = "package x\nimport _ \"example.com/m/checker\"\n"
	src := fstest.MapFS{
		"go.mod":                       {Data: []byte("module example.com/m\n")},
		"exercises/01-x/check_test.go": {Data: []byte(check)},
		"exercises/01-x/x.go":          {Data: []byte("stub")},
		"solutions/01-x/x.go":          {Data: []byte("solution")},
		"checker/plan.go":              {Data: []byte("package checker\nimport _ \"example.com/m/fixtures\"\n")},
		"checker/plan_test.go":         {Data: []byte("libtest")},
		"fixtures/blog.go":             {Data: []byte("package fixtures\n")},
		"sandbox/sandbox.go":           {Data: []byte("package sandbox\n")},
	}
	dir := filepath.Join(ws, "exercises", "01-x")
	for _, name := range []string{"x.go", "mine.go", "check_test.go", "added_test.go"} {
		mustWrite(t, filepath.Join(dir, name))
	}
	mustWrite(t, filepath.Join(ws, "checker", "evil.go"))
	mustWrite(t, filepath.Join(ws, "fixtures", "evil.go"))
	mustWrite(t, filepath.Join(ws, "sandbox", "mine.go"))

	// Every case pins the check, and the packages it imports: checker, and
	// fixtures through checker. sandbox is not imported and stays as it is.
	pinned := map[string]string{
		"exercises/01-x/check_test.go": check, "exercises/01-x/added_test.go": "-",
		"checker/plan.go": "package checker\nimport _ \"example.com/m/fixtures\"\n", "checker/evil.go": "-",
		"fixtures/blog.go": "package fixtures\n", "fixtures/evil.go": "-",
	}
	with := func(more map[string]string) map[string]string {
		out := maps.Clone(pinned)
		maps.Copy(out, more)
		return out
	}
	tests := []struct {
		mode    Mode
		replace map[string][]byte
		want    map[string]string // workspace-relative → content, "-" = hidden
	}{
		{Learner, nil, pinned},
		{Stub, nil, with(map[string]string{"exercises/01-x/x.go": "stub", "exercises/01-x/mine.go": "-"})},
		{Solution, map[string][]byte{"exercises/01-x/x.go": []byte("answer")},
			with(map[string]string{"exercises/01-x/x.go": "answer", "exercises/01-x/mine.go": "-"})},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			ov, err := planOverlay(ws, lesson, tt.mode, src, tt.replace)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for target, l := range ov {
				rel, _ := filepath.Rel(ws, target)
				got[filepath.ToSlash(rel)] = string(l.content)
				if l.hide {
					got[filepath.ToSlash(rel)] = "-"
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("overlay = %v\nwant      %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
	if _, err := planOverlay(ws, lesson, Learner, src, map[string][]byte{"../outside.go": nil}); err == nil {
		t.Error("a Replace path outside the workspace must be refused")
	}
}

func mustWrite(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("package x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
