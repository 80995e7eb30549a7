package answers

import (
	"fmt"
	"strconv"
	"strings"
)

// directivePrefix starts the line that says what a check of the answer
// must report.
const directivePrefix = "//dblings:answer"

// Expectation is what a check of an answer must report. It is written, with
// what the answer is laid over, as the last line of the comment above the
// package clause:
//
//	//dblings:answer <verdict> [over=<base>] [assertion=<string>] [says=<string>] [alone=<why>]
//
// The verdict is spelled the way "dblings check" reports it: passed,
// failed, compile-error, panic, timeout or error. A value is a word without
// spaces or a Go string literal, "double-quoted" or `back-quoted` (handy for
// a phrase that holds double quotes). For example:
//
//	//dblings:answer passed
//	//dblings:answer failed assertion="no Seq Scan" says="removed 949,977 of them by filter"
//	//dblings:answer failed over=solution assertion="ShardFor names a shard" says="must depend on the id alone"
//	//dblings:answer compile-error says="undefined: pgx"
//
// over names the file the answer's declarations are laid over (see
// [Answer.Over]); without it, that is the stub. alone says why the answer
// must be checked with no other check beside it (see [Answer.Alone]).
//
// A failed answer names both: the assertion that must fail (part of its
// name) and a phrase its message must hold, so that every wrong answer
// fails for its own reason. A passed answer names neither. Any other
// verdict may give says, a phrase the check's output must hold.
type Expectation struct {
	Verdict   string
	Assertion string
	Says      string
}

// Verdicts the directive accepts; they are the checker's own words.
const (
	Passed = "passed"
	Failed = "failed"
)

// knownVerdict reports whether v is a verdict "dblings check" reports.
func knownVerdict(v string) bool {
	switch v {
	case Passed, Failed, "compile-error", "panic", "timeout", "error", "disputed":
		return true
	}
	return false
}

// directive is what one directive line says.
type directive struct {
	Expectation
	over  string
	alone string
}

// parseDirective reads one directive line, prefix included.
func parseDirective(line string) (directive, error) {
	rest, ok := strings.CutPrefix(line, directivePrefix)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return directive{}, fmt.Errorf("a directive starts with %q and a space", directivePrefix)
	}
	verdict, rest := nextWord(rest)
	if !knownVerdict(verdict) {
		return directive{}, fmt.Errorf("%q is not a verdict: write passed, failed, compile-error, panic, timeout, error or disputed", verdict)
	}
	d := directive{Expectation: Expectation{Verdict: verdict}}
	if err := readFields(rest, &d); err != nil {
		return directive{}, err
	}
	return d, d.validate()
}

// readFields reads the key=value pairs that follow the verdict.
func readFields(rest string, d *directive) error {
	seen := map[string]bool{}
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
		key, value, after, err := nextField(rest)
		if err != nil {
			return err
		}
		if seen[key] {
			return fmt.Errorf("%s is given twice", key)
		}
		seen[key] = true
		switch key {
		case "over":
			d.over = value
		case "assertion":
			d.Assertion = value
		case "says":
			d.Says = value
		case "alone":
			d.alone = value
		default:
			return fmt.Errorf("unknown field %q: the fields are over, assertion, says and alone", key)
		}
		rest = after
	}
	return nil
}

// nextWord splits off the first space-separated word.
func nextWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// nextField reads key=value from the start of s, the value a word or a Go
// string literal.
func nextField(s string) (key, value, rest string, err error) {
	key, lit, ok := strings.Cut(s, "=")
	if !ok || key == "" || strings.ContainsAny(key, " \t") {
		word, _ := nextWord(s)
		return "", "", "", fmt.Errorf("%q is not key=value", word)
	}
	if lit == "" || lit[0] == ' ' || lit[0] == '\t' {
		return "", "", "", fmt.Errorf("the value of %s is empty", key)
	}
	if lit[0] != '"' && lit[0] != '`' {
		value, rest = nextWord(lit)
		if strings.ContainsAny(value, "\"`") {
			return "", "", "", fmt.Errorf("the value of %s: a quote inside a word; quote the whole value", key)
		}
		return key, value, rest, nil
	}
	n := literalLength(lit)
	if n == 0 {
		return "", "", "", fmt.Errorf("the value of %s has no closing quote", key)
	}
	value, err = strconv.Unquote(lit[:n])
	if err != nil {
		return "", "", "", fmt.Errorf("the value of %s: %v", key, err)
	}
	if value == "" {
		return "", "", "", fmt.Errorf("the value of %s is empty", key)
	}
	if n < len(lit) && lit[n] != ' ' && lit[n] != '\t' {
		return "", "", "", fmt.Errorf("a space must follow the value of %s", key)
	}
	return key, value, lit[n:], nil
}

// literalLength is the length of the string literal that starts s, or 0
// when s does not start with a complete one.
func literalLength(s string) int {
	if s == "" || (s[0] != '"' && s[0] != '`') {
		return 0
	}
	for i := 1; i < len(s); i++ {
		switch {
		case s[0] == '"' && s[i] == '\\':
			i++ // skip the escaped character
		case s[i] == s[0]:
			return i + 1
		}
	}
	return 0
}

// validate checks that the fields fit the verdict.
func (e Expectation) validate() error {
	switch e.Verdict {
	case Passed:
		if e.Assertion != "" || e.Says != "" {
			return fmt.Errorf("a passed answer names no assertion and no phrase")
		}
	case Failed:
		if e.Assertion == "" || e.Says == "" {
			return fmt.Errorf(`a failed answer gives assertion="…" and says="…": the assertion that must fail and a phrase of its message`)
		}
	default:
		if e.Assertion != "" {
			return fmt.Errorf("only a failed answer names an assertion; a %s check may give says", e.Verdict)
		}
	}
	return nil
}
