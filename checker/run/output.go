package run

import (
	"bytes"
	"fmt"
)

// clip keeps the first head and the last tail bytes written to it, and
// counts what fell between. A learner's code that prints in an endless loop
// must not fill the runner's memory; what it printed first (often the first
// error) and what came last (a panic and its stacks) are what explain a
// verdict.
type clip struct {
	head, tail int
	first      []byte // up to head bytes
	last       []byte // the latest bytes; trimmed to tail when twice over
	total      int64
}

func newClip(head, tail int) *clip { return &clip{head: head, tail: tail} }

func (c *clip) Write(p []byte) (int, error) {
	n := len(p)
	c.total += int64(n)
	if room := c.head - len(c.first); room > 0 {
		k := min(room, len(p))
		c.first = append(c.first, p[:k]...)
		p = p[k:]
	}
	c.last = append(c.last, p...)
	// Trim only when twice over the limit, so the copy is amortised.
	if len(c.last) > 2*c.tail {
		c.last = append(c.last[:0], c.last[len(c.last)-c.tail:]...)
	}
	return n, nil
}

// String returns what was kept. When something was left out, the head ends
// and the tail starts at a line boundary, and a line between says how many
// bytes are missing.
func (c *clip) String() string {
	last := c.last
	if len(last) > c.tail {
		last = last[len(last)-c.tail:]
	}
	dropped := c.total - int64(len(c.first)) - int64(len(last))
	if dropped == 0 {
		return string(c.first) + string(last)
	}
	first := c.first
	if i := bytes.LastIndexByte(first, '\n'); i >= 0 {
		dropped += int64(len(first) - i - 1)
		first = first[:i+1]
	}
	if i := bytes.IndexByte(last, '\n'); i >= 0 {
		dropped += int64(i + 1)
		last = last[i+1:]
	}
	return fmt.Sprintf("%s[… %d bytes of output left out: the first %d and the last %d are kept]\n%s",
		first, dropped, len(first), len(last), last)
}

// lineWriter calls fn with each complete line written to it (without the
// newline); Flush hands over a last unterminated line. A line longer than
// maxLine is handed over in pieces, so memory stays bounded. exec.Cmd writes
// to it from one goroutine, so it needs no lock.
const maxLine = 1 << 20

type lineWriter struct {
	fn      func([]byte)
	partial []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			if len(w.partial) > maxLine {
				w.Flush()
			}
			return n, nil
		}
		if len(w.partial) > 0 {
			w.fn(append(w.partial, p[:i]...))
			w.partial = w.partial[:0]
		} else {
			w.fn(p[:i])
		}
		p = p[i+1:]
	}
}

func (w *lineWriter) Flush() {
	if len(w.partial) > 0 {
		w.fn(w.partial)
		w.partial = nil
	}
}
