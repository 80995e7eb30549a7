package sandbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Replica is a streaming replica and its primary, reached with superuser
// URLs. Its lag is under control: PauseReplay makes every read on it stale
// for certain until ResumeReplay, and WaitReplayed waits for one write.
// Only the runner and tests hold it; a check never sees these URLs.
type Replica struct {
	Instance
	Primary Server
}

// LSN is a position in the write-ahead log, as Postgres writes it
// ("0/3000148").
type LSN string

// PrimaryLSN is the end of the WAL the primary has written so far: a
// write committed before the call is visible on the replica once it has
// replayed up to it. It is the insert position, not pg_current_wal_lsn():
// the servers run with synchronous_commit=off, so a commit can still wait
// in the WAL buffers, behind the position written out to disk.
func (r *Replica) PrimaryLSN(ctx context.Context) (LSN, error) {
	var lsn LSN
	err := withConn(ctx, r.Primary.URL, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&lsn)
	})
	return lsn, err
}

// PauseReplay stops the replica applying WAL and returns once it has
// stopped: from then on, what the primary commits is not visible there.
// The replica keeps receiving WAL, so ResumeReplay catches up at once.
func (r *Replica) PauseReplay(ctx context.Context) error {
	return withConn(ctx, r.URL, func(conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
			return fmt.Errorf("pause replay: %w", err)
		}
		// The request is taken at the next WAL record; until then replay
		// may still apply one.
		return poll(ctx, 10*time.Second, func() (bool, error) {
			var state string
			err := conn.QueryRow(ctx, "SELECT pg_get_wal_replay_pause_state()").Scan(&state)
			return state == "paused", err
		})
	})
}

// ResumeReplay lets the replica apply WAL again.
func (r *Replica) ResumeReplay(ctx context.Context) error {
	return withConn(ctx, r.URL, func(conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, "SELECT pg_wal_replay_resume()")
		return err
	})
}

// SetApplyDelay makes the replica apply each transaction only once d has
// passed since its commit on the primary (recovery_min_apply_delay; 0
// turns it off): a read right after a write is stale by design, and a
// wait for the write's LSN still ends, d later. Unlike PauseReplay it
// needs nothing more from the runner during a check. It returns once the
// delay is in effect, not merely asked for (see confirmApplyDelay).
func (r *Replica) SetApplyDelay(ctx context.Context, d time.Duration) error {
	err := withConn(ctx, r.URL, func(conn *pgx.Conn) error {
		set := fmt.Sprintf("ALTER SYSTEM SET recovery_min_apply_delay = '%dms'", d.Milliseconds())
		if _, err := conn.Exec(ctx, set); err != nil {
			return fmt.Errorf("set the apply delay: %w", err)
		}
		_, err := conn.Exec(ctx, "SELECT pg_reload_conf()")
		return err
	})
	if err != nil || d <= 0 {
		return err // a lifted delay needs no proof: CatchUp waits either way
	}
	return r.confirmApplyDelay(ctx, d)
}

// applyDelayProbes bounds the probe commits confirmApplyDelay makes.
const applyDelayProbes = 20

// confirmApplyDelay returns once the replica's startup process applies
// commits d late. pg_reload_conf only signals it, and on a busy machine it
// read the new setting after a write made 50 ms later (a test saw the
// write at once). A probe commit on the primary tells: replayed d after it
// or later, the delay holds, and for every commit after it, since the
// startup process reads its settings before each record; sooner, it is
// not in effect yet, and another probe follows.
func (r *Replica) confirmApplyDelay(ctx context.Context, d time.Duration) error {
	for range applyDelayProbes {
		start := time.Now()
		lsn, err := r.probeCommit(ctx)
		if err != nil {
			return fmt.Errorf("probe the apply delay: %w", err)
		}
		if err := r.WaitReplayed(ctx, lsn); err != nil {
			return err
		}
		if time.Since(start) >= d {
			return nil
		}
	}
	return fmt.Errorf("the replica still applies commits sooner than its %s apply delay after %d probes", d, applyDelayProbes)
}

// probeCommit commits a transaction on the primary that writes nothing
// but its commit record (txid_current assigns it an id) and returns the
// WAL position after it. The commit is flushed at once, so that it does
// not wait for the WAL writer (the servers run with synchronous_commit
// off), and a late replay is the delay's.
func (r *Replica) probeCommit(ctx context.Context) (LSN, error) {
	var lsn LSN
	err := withConn(ctx, r.Primary.URL, func(conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "SET synchronous_commit = local"); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, "SELECT txid_current()"); err != nil {
			return err
		}
		return conn.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&lsn)
	})
	return lsn, err
}

// WaitReplayed returns once the replica has applied the WAL up to lsn, or
// when ctx ends. With replay paused it waits until ctx ends.
func (r *Replica) WaitReplayed(ctx context.Context, lsn LSN) error {
	return withConn(ctx, r.URL, func(conn *pgx.Conn) error {
		for {
			var done bool
			err := conn.QueryRow(ctx, "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", string(lsn)).Scan(&done)
			if err != nil || done {
				return err
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("the replica has not replayed %s: %w", lsn, ctx.Err())
			case <-time.After(2 * time.Millisecond):
			}
		}
	})
}

// CatchUp waits until the replica has applied everything the primary has
// committed so far.
func (r *Replica) CatchUp(ctx context.Context) error {
	lsn, err := r.PrimaryLSN(ctx)
	if err != nil {
		return err
	}
	return r.WaitReplayed(ctx, lsn)
}

// Lag is how far a replica is behind its primary.
type Lag struct {
	// Bytes of WAL the primary has written that the replica has not
	// applied.
	Bytes int64
	// Paused says that replay is paused (PauseReplay).
	Paused bool
	// Streaming says that the replica receives WAL from the primary.
	Streaming bool
}

// Lag measures how far the replica is behind, now.
func (r *Replica) Lag(ctx context.Context) (Lag, error) {
	primary, err := r.PrimaryLSN(ctx)
	if err != nil {
		return Lag{}, err
	}
	var lag Lag
	err = withConn(ctx, r.URL, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, `SELECT
			coalesce(pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()), 0)::bigint,
			pg_get_wal_replay_pause_state() <> 'not paused',
			EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')`, string(primary)).
			Scan(&lag.Bytes, &lag.Paused, &lag.Streaming)
	})
	return lag, err
}

// waitStreaming waits until the replica receives WAL from its primary.
func (r *Replica) waitStreaming(ctx context.Context) error {
	return withConn(ctx, r.URL, func(conn *pgx.Conn) error {
		return poll(ctx, readyTimeout, func() (bool, error) {
			var streaming bool
			err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')").Scan(&streaming)
			return streaming, err
		})
	})
}

// replicationSlot names a new replica's physical replication slot on its
// primary. Without one, a primary writing WAL faster than a starved
// replica received it (a data set's bulk load on a busy CI machine)
// recycled segments the replica still needed, and the replica stopped
// for good: "requested WAL segment ... has already been removed".
func replicationSlot() string { return "dblings_replica_" + strings.ToLower(randomPassword()[:12]) }

// walArgs bound the WAL a server keeps, which docker keeps in the memory
// of a tmpfs:
//   - what a slot may hold back on its primary: a replica gone without
//     dropping its slot (its owner was killed) would otherwise keep every
//     WAL segment from then on;
//   - what a server keeps once replayed or checkpointed: a standby keeps
//     the segments it replayed, for reuse, up to max_wal_size, and at the
//     default 1 GB a kept environment's replica held 1 GB of them after
//     loading every lesson's data sets.
var walArgs = []string{"-c", "max_slot_wal_keep_size=4GB", "-c", "max_wal_size=256MB"}

// dropSlotAfter stops a replica with stop and then drops its slot on the
// primary, which may take a moment to notice that the replica is gone.
func dropSlotAfter(stop func(context.Context) error, primary Server, slot string) func(context.Context) error {
	return func(ctx context.Context) error {
		err := stop(ctx)
		drop := withConn(ctx, primary.URL, func(conn *pgx.Conn) error {
			return poll(ctx, 30*time.Second, func() (bool, error) {
				var active *bool
				if err := conn.QueryRow(ctx, "SELECT active FROM pg_replication_slots WHERE slot_name = $1", slot).Scan(&active); errors.Is(err, pgx.ErrNoRows) {
					return true, nil
				} else if err != nil {
					return false, err
				}
				if *active {
					return false, nil
				}
				_, err := conn.Exec(ctx, "SELECT pg_drop_replication_slot($1)", slot)
				return err == nil, err
			})
		})
		if drop != nil {
			drop = fmt.Errorf("drop the replica's slot %s: %w", slot, drop)
		}
		return errors.Join(err, drop)
	}
}
