package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/dblings/dblings/checker/run"
	"github.com/dblings/dblings/internal/answers"
	"github.com/dblings/dblings/internal/pack"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/workspace"
)

// verifiedLessons are the lessons verify proves: with --pack, the packs'
// (an instructor proving a pack needs not wait for the built-in lessons);
// else every lesson.
func (f *Factory) verifiedLessons(ws *workspace.Workspace) lessons.Catalog {
	if len(f.packDirs) > 0 {
		return f.packLessons()
	}
	return ws.Catalog()
}

// answerRun is one answer of a pack lesson, checked.
type answerRun struct {
	lesson lessons.Lesson
	answer *answers.Answer
	result *run.Result
	// problem says how the result differs from what the answer declares;
	// "" when it does not.
	problem string
}

// verifyPackAnswers checks every answer of every pack lesson given with
// --pack and prints whether each got the verdict it declares. The answers
// of built-in lessons are proven by the project's own tests.
func (f *Factory) verifyPackAnswers(ctx context.Context, ws *workspace.Workspace, env *sandbox.Env, rf runFlags) ([]answerRun, error) {
	if len(f.packDirs) == 0 {
		return nil, nil
	}
	var runs []answerRun
	var jobs []run.Job
	for _, p := range f.packs {
		for _, l := range p.Catalog {
			set, err := loadAnswers(p, l)
			if err != nil {
				return nil, &ExitError{Code: ExitFailed, Err: err}
			}
			for _, a := range set.Answers {
				o := rf.options(ws)
				o.Env, o.Replace, o.Race = env, map[string][]byte{l.ExercisePath(): set.Files[a.Name]}, l.Race
				jobs = append(jobs, run.Job{Lesson: l, Options: o})
				runs = append(runs, answerRun{lesson: l, answer: a})
			}
		}
	}
	results, err := run.Series(ctx, jobs, nil)
	if err != nil {
		return nil, err
	}
	for i, r := range results {
		runs[i].result, runs[i].problem = r, unexpected(runs[i].answer.Expect, r)
	}
	return runs, printAnswers(f, runs)
}

// loadAnswers reads a pack lesson's answers, laid over its stub and
// solution from the pack.
func loadAnswers(p *pack.Pack, l lessons.Lesson) (*answers.Set, error) {
	return answers.LoadSet(filepath.Join(p.Dir, filepath.FromSlash(answers.Dir(l.Dir))),
		filepath.Join(p.Dir, filepath.FromSlash(l.ExercisePath())), filepath.Join(p.Dir, filepath.FromSlash(l.SolutionPath())))
}

// unexpected compares a result with what the answer's directive declares,
// as the project's answers test does.
func unexpected(want answers.Expectation, r *run.Result) string {
	if string(r.Verdict) != want.Verdict {
		return fmt.Sprintf("verdict %s, declared %s: %s", r.Verdict, want.Verdict, r.Message)
	}
	if want.Assertion == "" {
		if want.Says != "" && !resultSays(r, want.Says) {
			return fmt.Sprintf("the check does not say %q", want.Says)
		}
		return ""
	}
	for _, a := range r.Assertions {
		if !a.OK && strings.Contains(a.Name, want.Assertion) {
			if !strings.Contains(a.Message, want.Says) {
				return fmt.Sprintf("%q failed, but its message does not say %q: %s", a.Name, want.Says, a.Message)
			}
			return ""
		}
	}
	return fmt.Sprintf("no failed assertion named like %q", want.Assertion)
}

// resultSays reports whether the result's message or one of its
// assertions' says s.
func resultSays(r *run.Result, s string) bool {
	if strings.Contains(r.Message, s) {
		return true
	}
	for _, a := range r.Assertions {
		if strings.Contains(a.Message, s) {
			return true
		}
	}
	return false
}

func printAnswers(f *Factory, runs []answerRun) error {
	if len(runs) == 0 {
		return nil
	}
	fmt.Fprintln(f.IO.Out)
	tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LESSON\tANSWER\tDECLARED\tGOT\t")
	for _, r := range runs {
		mark := "✓"
		if r.problem != "" {
			mark = "✗"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s %s\t\n", r.lesson.ID, r.answer.Name, r.answer.Expect.Verdict, mark, r.result.Verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range runs {
		if r.problem != "" {
			fmt.Fprintf(f.IO.Out, "%s, answer %s: %s\n", r.lesson.ID, r.answer.Name, r.problem)
		}
	}
	return nil
}

// answersExit is the exit status of the answers: 1 when one does not get
// what it declares.
func answersExit(runs []answerRun) error {
	bad := 0
	for _, r := range runs {
		if r.problem != "" {
			bad++
		}
	}
	if bad > 0 {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d of %d answers do not get the verdict they declare", bad, len(runs))}
	}
	return nil
}
