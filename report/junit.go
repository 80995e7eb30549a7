package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dblings/dblings/checker/run"
)

// The JUnit shape is the strict Ant schema's (see testdata/junit-ant.xsd):
// whatever validates against it loads in GitHub's and GitLab's test
// reports. It wants properties, system-out and system-err in every suite,
// id and package on suites inside <testsuites>, a timestamp without a time
// zone, and classname and time on every testcase.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Package    string          `xml:"package,attr"`
	ID         int             `xml:"id,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  junitText       `xml:"system-out"`
	SystemErr  junitText       `xml:"system-err"`
}

// junitText is element text kept as CDATA, so multi-line output reads as
// it was printed instead of as &#xA; entities.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

// junitProblem carries the message twice: GitLab shows only the element's
// text, other readers only the attribute.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

// junitPackage is every suite's package: the lesson ids are the suites.
const junitPackage = "dblings"

// WriteJUnit writes one testsuite per lesson and one testcase per
// assertion; a failed assertion is a failure, and a check that did not
// compile, crashed, timed out or had no environment adds an error case.
// The check's phase times, verdict and title are suite properties.
func WriteJUnit(w io.Writer, rs []*run.Result, host string) error {
	return Grading{}.WriteJUnit(w, rs, host)
}

// WriteJUnit is the package's WriteJUnit, with g's learner and points as
// suite properties.
func (g Grading) WriteJUnit(w io.Writer, rs []*run.Result, host string) error {
	doc := junitSuites{Suites: []junitSuite{}}
	for i, r := range rs {
		s := junitLesson(i, r, host)
		s.Properties = append(s.Properties, g.junitPoints(r)...)
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitLesson(id int, r *run.Result, host string) junitSuite {
	s := junitSuite{
		Name: r.Lesson.ID, Package: junitPackage, ID: id, Hostname: host,
		Timestamp: r.Started.UTC().Format("2006-01-02T15:04:05"),
		Time:      secondsAttr(r.Timings.Total()),
		Properties: []junitProperty{
			{"title", r.Lesson.Title},
			{"verdict", string(r.Verdict)},
			{"message", r.Message},
			{"mode", r.Mode.String()},
			{"compile_seconds", secondsAttr(r.Timings.Compile)},
			{"prepare_seconds", secondsAttr(r.Timings.Prepare)},
			{"role_seconds", secondsAttr(r.Timings.Role)},
			{"run_seconds", secondsAttr(r.Timings.Run)},
			{"witness_seconds", secondsAttr(r.Timings.Witness)},
			{"seed", strconv.FormatUint(r.Seed, 10)},
		},
	}
	if cmd := Reproduce(r); cmd != "" {
		s.Properties = append(s.Properties, junitProperty{"reproduce", cmd})
	}
	for _, a := range r.Assertions {
		c := junitCase{Name: a.Name, Classname: r.Lesson.ID, Time: secondsAttr(0)}
		if !a.OK {
			// Each case is shown on its own in CI, so plans are repeated.
			c.Failure = &junitProblem{Message: a.Message, Type: "assertion", Body: xmlText(joinLines(a.Message, failureDetails(a, map[string]bool{})))}
			s.Failures++
		}
		s.Cases = append(s.Cases, c)
	}
	if e, ok := extraEntry(r); ok {
		s.Cases = append(s.Cases, junitCase{Name: e.name, Classname: r.Lesson.ID, Time: secondsAttr(r.Timings.Run),
			Error: &junitProblem{Message: e.message, Type: string(r.Verdict), Body: xmlText(joinLines(e.message, e.details))}})
		s.Errors++
	}
	for _, warning := range r.Warnings {
		s.SystemErr.Text += xmlText("warning: " + warning + "\n")
	}
	if !r.Pass() {
		s.SystemOut.Text = xmlText(r.Output)
	}
	s.Tests = len(s.Cases)
	return s
}

// ansiEscape matches terminal colour and cursor sequences, which a check's
// output may carry and a CI page cannot show.
var ansiEscape = regexp.MustCompile("\x1b\\[[0-9;?]*[ -/]*[@-~]")

// xmlText makes s fit for CDATA: without terminal escapes, and with the
// characters XML 1.0 forbids replaced by U+FFFD (CDATA is written as is,
// so the encoder would not do it).
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r < 0xE000):
			return '\uFFFD'
		}
		return r
	}, ansiEscape.ReplaceAllString(s, ""))
}

func joinLines(a, b string) string {
	if b == "" {
		return a
	}
	return a + "\n" + b
}

// secondsAttr is a duration as JUnit writes it: seconds, a decimal.
func secondsAttr(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
