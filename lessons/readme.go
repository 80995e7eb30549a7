package lessons

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// The README's lesson list sits between these markers; it is generated
// from the catalog (by "dblings new", or by hand with UpdateReadme) and a
// test keeps the two in step.
const (
	readmeStart = "<!-- lessons:start (generated from lessons/*/lesson.toml) -->"
	readmeEnd   = "<!-- lessons:end -->"
)

// Table is the catalog as a Markdown table: number, id, title, time.
func (c Catalog) Table() string {
	var b strings.Builder
	b.WriteString("| # | id | lesson | time |\n|---|---|---|---|\n")
	for i, l := range c {
		fmt.Fprintf(&b, "| %d | `%s` | %s | %d min |\n", i+1, l.ID, l.Title, l.Minutes)
	}
	return b.String()
}

// UpdateReadme returns readme with the lesson list between its markers
// replaced by the catalog's table.
func UpdateReadme(readme []byte, c Catalog) ([]byte, error) {
	start := bytes.Index(readme, []byte(readmeStart))
	end := bytes.Index(readme, []byte(readmeEnd))
	if start < 0 || end < start {
		return nil, errors.New("the README has no lesson list: put the lines " + readmeStart + " and " + readmeEnd + " where it goes")
	}
	var out bytes.Buffer
	out.Write(readme[:start+len(readmeStart)])
	out.WriteString("\n\n" + c.Table() + "\n")
	out.Write(readme[end:])
	return out.Bytes(), nil
}
