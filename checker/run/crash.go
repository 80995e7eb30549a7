package run

import (
	"regexp"
	"strconv"
	"strings"
)

// timeoutPanic starts the panic go test raises when -test.timeout runs out.
const timeoutPanic = "panic: test timed out after "

var recoveredSuffix = regexp.MustCompile(`\s*\[recovered[^\]]*\]\s*$`)

// findCrash looks through a check's output for what stopped it: a panic, a
// fatal runtime error, or go test's own timeout. It returns nil when the
// process was not stopped by any of them. Only frames that learnerFile
// accepts are kept: from the panicking goroutine, or after a timeout from
// every goroutine (to show where the learner's code was stuck).
func findCrash(output string, learnerFile func(string) (string, bool)) (c *Crash, timedOut bool) {
	lines := strings.Split(output, "\n")
	start := -1
	for i, line := range lines {
		if strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, false
	}
	timedOut = strings.HasPrefix(lines[start], timeoutPanic)
	msg := strings.TrimPrefix(lines[start], "panic: ")
	c = &Crash{Message: recoveredSuffix.ReplaceAllString(msg, "")}
	c.Frames = learnerFrames(lines[start+1:], !timedOut, learnerFile)
	return c, timedOut
}

// learnerFrames parses goroutine stacks ("goroutine 7 [running]:" then
// function and "\tfile:line +0x…" line pairs) and keeps the learner's
// frames, innermost first, each place once.
func learnerFrames(lines []string, firstOnly bool, learnerFile func(string) (string, bool)) []Frame {
	var frames []Frame
	seen := map[string]bool{}
	blocks := 0
	function := ""
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "goroutine ") && strings.HasSuffix(line, ":"):
			blocks++
			if firstOnly && blocks > 1 {
				return frames
			}
		case blocks == 0:
		case strings.HasPrefix(line, "\t"):
			file, lineNo, ok := parseFileLine(line)
			if !ok {
				continue
			}
			rel, mine := learnerFile(file)
			key := rel + ":" + strconv.Itoa(lineNo)
			if mine && !seen[key] {
				seen[key] = true
				frames = append(frames, Frame{Function: shortFunction(function), File: rel, Line: lineNo})
			}
		default:
			function = line
		}
	}
	return frames
}

// parseFileLine reads "\t/path/to/file.go:42 +0x1d".
func parseFileLine(line string) (file string, lineNo int, ok bool) {
	line = strings.TrimSpace(line)
	if i := strings.Index(line, " +0x"); i >= 0 {
		line = line[:i]
	}
	i := strings.LastIndexByte(line, ':')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(line[i+1:])
	if err != nil {
		return "", 0, false
	}
	return line[:i], n, true
}

// shortFunction turns "example.com/m/exercises/01-x.(*Store).Get(0xc0, …)"
// into "(*Store).Get": the learner knows which package they are in.
func shortFunction(fn string) string {
	if strings.HasPrefix(fn, "created by ") {
		fn = strings.TrimPrefix(fn, "created by ")
		if i := strings.Index(fn, " in goroutine "); i >= 0 {
			fn = fn[:i]
		}
		return "go " + shortFunction(fn)
	}
	if strings.HasSuffix(fn, ")") {
		if i := strings.LastIndexByte(fn, '('); i > 0 {
			fn = fn[:i]
		}
	}
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.IndexByte(fn, '.'); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}
