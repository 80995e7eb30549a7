package run

import (
	"fmt"
	"path"
	"strings"

	"github.com/dblings/dblings/checker"
)

// The judging half of a check run: exec.go runs the check binary and
// collects an outcome; the functions here turn that outcome into a verdict,
// assertions and a message for the learner.

// learnerFile says whether a file from a stack trace is one the learner
// writes: in the lesson's folder, and not a check file.
func (b *build) learnerFile(file string) (string, bool) {
	rel := b.relPath(file)
	inLesson := strings.HasPrefix(rel, path.Join("exercises", b.lesson.Dir)+"/")
	return rel, inLesson && !isTestFile(rel)
}

// judge turns an outcome into a verdict. A crash or timeout decides before
// assertions do: the assertions made before it are kept, but the run did
// not finish.
func (b *build) judge(res *Result, out *outcome) {
	res.Output = out.log.all.String()
	crash, timedOut := findCrash(res.Output, b.learnerFile)
	res.Assertions = assertions(out, crash != nil || out.killed)
	if race := findRace(res.Output, b.learnerFile); race != nil {
		res.Assertions = addRace(res.Assertions, race)
	}
	if out.badLines != nil {
		res.Warnings = append(res.Warnings, "the check's report had lines that were not records: "+out.badLines.Error())
	}
	if out.reportCut {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the check's report was larger than %d MB; the records after that were not read", maxReport>>20))
	}
	timeout := b.opts.timeout()
	switch {
	case out.killed || timedOut:
		if crash == nil || !timedOut {
			crash = &Crash{}
		}
		crash.Message = fmt.Sprintf("the check did not finish within %s and was stopped", timeout)
		res.Verdict, res.Crash = TimedOut, crash
		res.Message = crash.Message + ": look for a loop that never ends or a wait that never returns"
	case crash != nil:
		res.Verdict, res.Crash = Panicked, crash
		res.Message = "the code crashed: " + crash.Message
	case out.exitCode != 0 || failing(res.Assertions) > 0:
		res.Verdict = Failed
		if failing(res.Assertions) == 0 {
			res.Assertions = append(res.Assertions, Assertion{Name: "check finished", Message: fmt.Sprintf("the check process ended with exit status %d", out.exitCode)})
		}
		res.Message = fmt.Sprintf("%d of %d assertions failed", failing(res.Assertions), len(res.Assertions))
	case len(res.Assertions) == 0:
		// The pristine check always has tests (the content checks see to
		// it), so none ran only because the learner's code ended the
		// process before the check began.
		msg := "the check's tests never ran: your code ended the process before the check began (os.Exit or log.Fatal in an init function or a package variable, for instance)"
		res.Assertions = append(res.Assertions, Assertion{Name: "the check ran", Message: msg})
		res.Verdict, res.Message = Failed, msg
	default:
		res.Verdict, res.Message = Passed, fmt.Sprintf("all %d assertions passed", len(res.Assertions))
	}
}

// assertions joins the report records with go test's verdicts: every
// record in order, then a made-up failed assertion for each failed test
// that wrote no failing record (a check that stopped with t.Fatal before
// asserting anything, for instance). Without records, each passing test
// counts as one assertion. After a crash only the records count: the
// crash explains the failed tests.
func assertions(out *outcome, crashed bool) []Assertion {
	var list []Assertion
	for _, r := range out.records {
		list = append(list, Assertion{Test: r.Test, Name: r.Name, OK: r.OK, Message: r.Message, Evidence: r.Evidence, Weight: r.Weight})
	}
	if crashed {
		return list
	}
	for _, test := range out.log.failed() {
		if hasFailingRecord(out.records, test) {
			continue
		}
		text := out.log.failureText(test)
		msg := checker.FirstLine(text, "the test failed without a message")
		if !out.log.tests[test].finished {
			msg = unfinished
		}
		list = append(list, Assertion{Test: test, Name: test, Message: msg, Output: text})
	}
	if len(out.records) == 0 {
		for _, test := range out.log.order {
			if out.log.tests[test].end == actionPass && !strings.Contains(test, "/") {
				list = append(list, Assertion{Test: test, Name: test, OK: true, Message: "passed"})
			}
		}
	}
	return list
}

// hasFailingRecord reports whether test (or one of its subtests) wrote a
// failing record. Records without a test name could come from any test.
func hasFailingRecord(records []checker.Record, test string) bool {
	for _, r := range records {
		if !r.OK && (r.Test == "" || r.Test == test || strings.HasPrefix(r.Test, test+"/") || strings.HasPrefix(test, r.Test+"/")) {
			return true
		}
	}
	return false
}

func failing(list []Assertion) int {
	n := 0
	for _, a := range list {
		if !a.OK {
			n++
		}
	}
	return n
}

// unfinished explains a test that test2json failed because the process
// ended under it (its own "--- FAIL" line never came).
const unfinished = "the check process ended before the test finished: does the code call os.Exit or log.Fatal?"
