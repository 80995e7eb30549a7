package run

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/dblings/dblings/lessons"
)

// compileLimit bounds the compile phase. It is generous because the first
// build on a cold cache compiles pgx and go-redis, which takes a minute on
// a busy two-core machine; a warm build takes about a second.
const compileLimit = 5 * time.Minute

// build is a lesson's check compiled and ready to run (or the compile
// error that stopped it). build.Run runs it; Close removes its files.
type build struct {
	lesson lessons.Lesson
	opts   Options
	dir    string // temporary: the overlay files and the test binary
	binary string
	// cacheKey names the build's slot in the binary cache.
	cacheKey string
	origins  map[string]string // overlay content file → the path it stands for
	// module is the workspace module's path: -trimpath names the files of
	// a stack trace "<module>/<path in the workspace>".
	module string
	// required are the tests of the pristine check: each must run to its end.
	required []string
	started  time.Time
	compile  time.Duration
	// done is the final result when the check cannot run: it did not
	// compile, or the lesson is missing from this build.
	done *Result
}

// compile builds the test binary of a lesson's check with go test -c,
// laying the pristine check and checker files (and, by mode, the stub or the
// solution) over the workspace. Compiling touches no database, so one
// lesson can compile while another runs. The error is for bad options or a
// cancelled ctx; a learner's compile error is a result.
func compile(ctx context.Context, l lessons.Lesson, opts Options) (*build, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	b := &build{lesson: l, opts: opts, started: time.Now()}
	opts.progress(PhaseCompiling)
	dir, err := makeCheckDir()
	if err != nil {
		return nil, fmt.Errorf("make a folder for the check build: %w", err)
	}
	b.dir = dir
	b.binary = filepath.Join(dir, "check.test")

	ov, err := planOverlay(opts.Workspace, l, opts.Mode, opts.Source, opts.Replace)
	if err != nil {
		b.done = b.result(Errored, err.Error())
		return b, nil
	}
	overlayFile, origins, err := ov.write(dir)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("write the check overlay: %w", err)
	}
	b.origins = origins
	if b.module, err = modulePath(opts.Source); err != nil {
		b.Close()
		return nil, err
	}
	if b.required, err = checkTests(opts.Source, path.Join("exercises", l.Dir)); err != nil {
		b.Close()
		return nil, fmt.Errorf("read the tests of lesson %s's check: %w", l.ID, err)
	}
	b.cacheKey = ov.fingerprint(append(append(BuildFlags(l), BuildEnv()...), fmt.Sprint(opts.Race)))
	if err := b.goTestC(ctx, overlayFile); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

func (o Options) validate() error {
	if o.Env == nil || len(o.Env.Postgres) == 0 {
		return errors.New("run: Options.Env must hold at least one Postgres server")
	}
	if o.Source == nil {
		return errors.New("run: Options.Source must hold the pristine sources")
	}
	if _, err := os.Stat(filepath.Join(o.Workspace, "go.mod")); err != nil {
		return fmt.Errorf("%s is not a dblings workspace (no go.mod): %w", o.Workspace, err)
	}
	return nil
}

// goTestC runs the compile phase and records its verdict when it fails.
func (b *build) goTestC(ctx context.Context, overlayFile string) error {
	cctx, cancel := context.WithTimeout(ctx, compileLimit)
	defer cancel()
	var lines []string
	collect := &lineWriter{fn: func(line []byte) { lines = append(lines, buildLine(line)...) }}
	// -vet=off: vet's findings are not compile errors, and skipping vet
	// keeps edit-to-verdict short. -ldflags="-s -w" leaves out DWARF and the
	// symbol table, which nobody debugs a check with: linking gets faster,
	// and stack traces keep their file:line (they come from pclntab).
	// BuildFlags says why the others.
	out, finish := b.output(cctx)
	args := append([]string{"test", "-c", "-o", out, "-vet=off", "-ldflags=-s -w"}, BuildFlags(b.lesson)...)
	env := append(checkEnviron(b.dir), BuildEnv()...)
	if b.opts.Race {
		// The race detector's runtime is linked through cgo.
		args, env = append(args, "-race"), append(env, "CGO_ENABLED=1")
	}
	cmd := exec.CommandContext(cctx, "go", append(args, "-overlay", overlayFile, "-json", b.lesson.Package())...)
	cmd.Dir = b.opts.Workspace
	cmd.Env = env
	cmd.Stdout = collect
	cmd.Stderr = collect
	cmd.WaitDelay = 5 * time.Second
	inOwnGroup(cmd)

	start := time.Now()
	err := cmd.Run()
	collect.Flush()
	if finishErr := finish(err == nil); err == nil && finishErr != nil {
		return finishErr
	}
	b.compile = time.Since(start)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, exec.ErrNotFound):
		b.done = b.result(Errored, "checks are built with the Go toolchain, and no `go` command was found on PATH; install Go from https://go.dev/dl/")
	case cctx.Err() != nil:
		b.done = b.result(Errored, fmt.Sprintf("compiling the check took longer than %s; is the machine very busy?", compileLimit))
	case err != nil && b.opts.Race && noCCompiler(lines):
		b.done = b.result(Errored, "this lesson's check runs with Go's race detector, which needs a C compiler, and none was found: install gcc (or clang), or set CC to the one you have")
	case err != nil:
		diags := parseDiagnostics(lines, b.relPath)
		b.done = b.result(CompileError, compileMessage(diags))
		b.done.CompileErrors = diags
	}
	return nil
}

// output is where go test -c writes the binary: the slot of the binary
// cache (see binaryCache) when there is one, locked until finish, which
// copies a built binary into the check's folder.
func (b *build) output(ctx context.Context) (string, func(built bool) error) {
	cache, ok := openBinaryCache()
	if !ok {
		return b.binary, func(bool) error { return nil }
	}
	slot, unlock, err := cache.slot(ctx, b.cacheKey)
	if err != nil {
		return b.binary, func(bool) error { return nil }
	}
	return slot, func(built bool) error {
		defer cache.prune()
		defer unlock()
		if !built {
			return nil
		}
		return cache.take(slot, b.binary)
	}
}

// BuildFlags are the flags that decide what a lesson's check compiles and
// what the build cache holds for it; whoever asks the go command about a
// check's build (prepare's readiness report) passes the same ones.
//
// -trimpath keeps workspace folders out of the compiled packages, so the
// pristine checker, fixtures and check packages, the same in every
// workspace, are compiled once per machine rather than once per workspace
// folder: a fresh workspace's first check found them cached (7 s instead of
// 31 s on a loaded 2-core machine).
//
// -gcflags=<lesson>="-N -l" compiles the lesson's package as written:
// optimised, a function stuck in an empty loop shows in a stack trace at
// its file's line 1, where the learner would look in vain. The database
// work a check measures does not notice.
func BuildFlags(l lessons.Lesson) []string {
	return []string{"-tags", "dblings", "-trimpath", "-gcflags=" + l.Package() + "=-N -l"}
}

// BuildEnv is the environment that, beside BuildFlags, decides what a
// check compiles. Without cgo, the binary links no C runtime: a check
// talks to its servers through Go's own resolver, and the link of every
// edit's binary takes a fifth less CPU (0.82 s against 1.0 s for lesson
// 1's go test -c, measured alternately on a loaded 2-core machine).
func BuildEnv() []string { return []string{"CGO_ENABLED=0"} }

// noCCompiler says whether a build failed because cgo, which the race
// detector needs, found no C compiler: the machine's fault, not the code's.
func noCCompiler(lines []string) bool {
	for _, l := range lines {
		if strings.Contains(l, "C compiler") && strings.Contains(l, "not found") || strings.Contains(l, "-race requires cgo") {
			return true
		}
	}
	return false
}

// compileMessage sums up a failed build. Errors inside the check file
// (which the learner cannot edit) mean the learner's code no longer has a
// name or signature the check calls.
func compileMessage(diags []Diagnostic) string {
	for _, d := range diags {
		if isTestFile(d.File) {
			return "the code does not compile with the check: it calls a function or type your code no longer has as the stub declared it (compare with the stub, or start again with dblings reset)"
		}
	}
	return "the code does not compile"
}

// buildLine keeps the compiler's words from one line of go test -json -c
// output: build-output events carry them; other events (the "FAIL [build
// failed]" summary) do not; plain lines are the go command's own errors.
func buildLine(line []byte) []string {
	ev := parseEvent(line)
	switch {
	case ev.Action == actionBuildOutput:
		return strings.Split(strings.TrimSuffix(ev.Output, "\n"), "\n")
	case ev.Action == actionOutput && ev.Package == "" && ev.ImportPath == "":
		return []string{strings.TrimSuffix(ev.Output, "\n")}
	}
	return nil
}

// relPath maps a path the compiler or a stack trace printed to the file
// the learner knows, relative to the workspace. Overlay content files
// (which the compiler names by their own path) map to the file they stand
// for. They are matched by their tail, "overlay/<n>-<name>", because the go
// command shortens paths by cutting the workspace path off as a string
// prefix: with the workspace /tmp/dblings, /tmp/dblings-check-1/overlay/…
// comes out as ".-check-1/overlay/…". Stack traces of a -trimpath build
// name files by module path instead: "<module>/exercises/…".
func (b *build) relPath(p string) string {
	slashed := filepath.ToSlash(p)
	if rel, ok := strings.CutPrefix(slashed, b.module+"/"); ok && b.module != "" {
		return rel
	}
	for file, target := range b.origins {
		if strings.HasSuffix(slashed, "/overlay/"+filepath.Base(file)) {
			p = target
			break
		}
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(b.opts.Workspace, p)
	}
	rel, err := filepath.Rel(b.opts.Workspace, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

// result starts a Result for this build.
func (b *build) result(v Verdict, msg string) *Result {
	return &Result{
		Lesson:  b.lesson,
		Mode:    b.opts.Mode,
		Seed:    b.opts.Seed,
		Verdict: v,
		Message: msg,
		Started: b.started,
		Timings: Timings{Compile: b.compile},
	}
}

// Close removes the build's files. It is safe to call more than once.
func (b *build) Close() error {
	if b == nil || b.dir == "" {
		return nil
	}
	dir := b.dir
	b.dir = ""
	return os.RemoveAll(dir)
}
