package run

import (
	"regexp"
	"strconv"
	"strings"
)

var positionRE = regexp.MustCompile(`^(.+?\.go):(\d+)(?::(\d+))?: (.*)$`)

// parseDiagnostics turns the go command's build output into compiler
// messages. "# package" headers are dropped; indented lines continue the
// message above them ("have (int)", "want (string)"); lines without a
// position (go.mod trouble) are kept as messages without a file. relPath
// maps the paths the compiler printed to workspace-relative ones.
func parseDiagnostics(lines []string, relPath func(string) string) []Diagnostic {
	var out []Diagnostic
	for _, line := range lines {
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "# "):
		case (strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "  ")) && len(out) > 0:
			out[len(out)-1].Message += "\n" + strings.TrimSpace(line)
		default:
			out = append(out, parseDiagnostic(line, relPath))
		}
	}
	return out
}

func parseDiagnostic(line string, relPath func(string) string) Diagnostic {
	m := positionRE.FindStringSubmatch(line)
	if m == nil {
		return Diagnostic{Message: strings.TrimSpace(line)}
	}
	d := Diagnostic{File: relPath(m[1]), Message: m[4]}
	d.Line, _ = strconv.Atoi(m[2])
	d.Column, _ = strconv.Atoi(m[3])
	return d
}
