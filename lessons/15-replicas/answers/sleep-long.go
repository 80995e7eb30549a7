//go:build ignore

// Wrong: the same sleep, made long enough to outlast the lag. The read
// finds the write, but every user waits more than a second after each
// post; and tomorrow's lag may be longer still.
//
//dblings:answer failed over=sleep-short assertion="a read after a write within 500 ms" says="more than 500ms"
package replicas

import (
	"context"
	"time"
)

func (s *Session) Write(ctx context.Context, sql string, args ...any) error {
	_, err := s.r.primary.Exec(ctx, sql, args...)
	if err == nil {
		time.Sleep(1200 * time.Millisecond) // longer than the replica's lag
	}
	return err
}
