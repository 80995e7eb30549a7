package run

import (
	"bytes"
	"fmt"
)

// tail keeps the last max bytes written to it. A learner's code that prints
// in an endless loop must not fill the runner's memory, and what explains a
// crash (the panic and its stack) comes last.
type tail struct {
	max     int
	buf     []byte
	dropped int
}

func newTail(max int) *tail { return &tail{max: max} }

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	// Trim only when twice over the limit, so the copy is amortised.
	if len(t.buf) > 2*t.max {
		cut := len(t.buf) - t.max
		t.dropped += cut
		t.buf = append(t.buf[:0], t.buf[cut:]...)
	}
	return len(p), nil
}

// String returns the kept bytes, starting at a line boundary, with a note of
// how much was cut.
func (t *tail) String() string {
	kept := t.buf
	dropped := t.dropped
	if len(kept) > t.max {
		dropped += len(kept) - t.max
		kept = kept[len(kept)-t.max:]
	}
	if dropped == 0 {
		return string(kept)
	}
	if i := bytes.IndexByte(kept, '\n'); i >= 0 {
		dropped += i + 1
		kept = kept[i+1:]
	}
	return fmt.Sprintf("[… %d bytes of earlier output cut]\n%s", dropped, kept)
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
