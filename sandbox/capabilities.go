package sandbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The capabilities beyond plain servers, for the operations lessons: a
// streaming replica whose replay can be paused, and WAL archiving with
// point-in-time restore. Every Postgres server also runs with
// pg_stat_statements preloaded (see preloadArgs), so that no lesson needs
// a server of its own for it.
//
// A replica, a base backup and a restored server are started on demand
// from the records of an environment (its URLs, its containers, its
// archive), so they work on an environment this process started and on
// one kept by "dblings env up" alike. What they start belongs to the
// calling process, carries its owner like every other server, and is
// reaped when that process is gone.

// Capability names what a lesson may need beyond plain servers.
type Capability string

// The capabilities a lesson can declare.
const (
	CapReplica Capability = "replica"
	CapArchive Capability = "archive"
)

// CapabilityError says that the environment cannot give what a lesson
// needs, in words for the learner: which environment can.
type CapabilityError struct {
	Capability Capability
	Provider   Provider
	Reason     string
}

func (e *CapabilityError) Error() string {
	what := map[Capability]string{
		CapReplica: "a streaming replica with controllable lag",
		CapArchive: "a WAL archive and point-in-time restore",
	}[e.Capability]
	if e.Provider == External {
		return fmt.Sprintf("this lesson needs %s, which the external environment cannot give (%s); "+
			"run it with the docker or local environment (--env docker or --env local)", what, e.Reason)
	}
	return fmt.Sprintf("this lesson needs %s, and this %s environment has none (%s); "+
		"a new one starts it: dblings env down, then dblings env up or dblings check", what, e.Provider, e.Reason)
}

// Instance is a Postgres server started on demand: a replica or a
// restored server. Stop removes it.
type Instance struct {
	Server
	stop func(context.Context) error
}

// Stop ends the server and removes its files; it is safe to call twice.
func (i *Instance) Stop(ctx context.Context) error {
	if i == nil || i.stop == nil {
		return nil
	}
	stop := i.stop
	i.stop = nil
	return stop(ctx)
}

// StartReplica starts a new streaming replica of the environment's first
// Postgres server and returns once it streams. The replica belongs to the
// calling process; Stop removes it.
func (e *Env) StartReplica(ctx context.Context) (*Replica, error) {
	return e.startReplicaOf(ctx, e.Postgres[0])
}

// StartArchivedReplica is StartReplica for the archiving server: the
// streaming replica a restore lesson shows to apply a mistake as quickly
// as the primary made it.
func (e *Env) StartArchivedReplica(ctx context.Context) (*Replica, error) {
	if err := e.archiving(); err != nil {
		return nil, err
	}
	return e.startReplicaOf(ctx, *e.Archived)
}

func (e *Env) startReplicaOf(ctx context.Context, primary Server) (*Replica, error) {
	var inst *Instance
	var err error
	switch e.Provider {
	case Local:
		inst, err = startLocalReplica(ctx, primary)
	case Docker:
		inst, err = startDockerReplica(ctx, primary)
	default:
		return nil, &CapabilityError{Capability: CapReplica, Provider: e.Provider, Reason: "it starts no servers"}
	}
	if err != nil {
		_ = inst.Stop(context.WithoutCancel(ctx))
		return nil, &StartError{Provider: e.Provider, Server: "replica", Err: err}
	}
	r := &Replica{Primary: primary, Instance: *inst}
	if err := r.waitStreaming(ctx); err != nil {
		_ = r.Stop(context.WithoutCancel(ctx))
		return nil, &StartError{Provider: e.Provider, Server: "replica", Err: err}
	}
	return r, nil
}

// ReplicaOf is the environment's own replica (Env.Replica, started with
// Config.Replica or given by URL), for lag control. Its Stop does nothing:
// the replica lives as long as the environment.
func (e *Env) ReplicaOf() (*Replica, error) {
	if e.Replica == nil {
		reason := "none was started"
		if e.Provider == External {
			reason = "no replica URL was given (--replica-url, DBLINGS_REPLICA_URL)"
		}
		return nil, &CapabilityError{Capability: CapReplica, Provider: e.Provider, Reason: reason}
	}
	return &Replica{Primary: e.Postgres[0], Instance: Instance{Server: *e.Replica}}, nil
}

// Backup is a base backup of the environment's archiving server, taken at
// a moment; with the archived WAL it restores any later moment.
type Backup struct {
	// At is when the backup was complete: the earliest moment it restores.
	At       time.Time
	provider Provider
	dir      string // local: on this machine; docker: in the primary's container
	primary  Server
	archive  string
	remove   func(context.Context) error
}

// Remove deletes the backup's files.
func (b *Backup) Remove(ctx context.Context) error {
	if b == nil || b.remove == nil {
		return nil
	}
	remove := b.remove
	b.remove = nil
	return remove(ctx)
}

// BaseBackup takes a base backup of the environment's archiving server
// (Config.Archive).
func (e *Env) BaseBackup(ctx context.Context) (*Backup, error) {
	if err := e.archiving(); err != nil {
		return nil, err
	}
	var b *Backup
	var err error
	switch e.Provider {
	case Local:
		b, err = localBaseBackup(ctx, *e.Archived)
	case Docker:
		b, err = dockerBaseBackup(ctx, *e.Archived)
	}
	if err != nil {
		_ = b.Remove(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("base backup: %w", err)
	}
	b.provider, b.primary, b.archive, b.At = e.Provider, *e.Archived, e.Archive, time.Now()
	return b, nil
}

// ArchivingServer is the environment's archiving server, or a
// CapabilityError that says which environment has one.
func (e *Env) ArchivingServer() (Server, error) {
	if err := e.archiving(); err != nil {
		return Server{}, err
	}
	return *e.Archived, nil
}

func (e *Env) archiving() error {
	switch {
	case e.Provider == External:
		return &CapabilityError{Capability: CapArchive, Provider: e.Provider, Reason: "dblings cannot reach its WAL archive or start servers there"}
	case e.Archived == nil || e.Archive == "":
		return &CapabilityError{Capability: CapArchive, Provider: e.Provider, Reason: "it was started without an archiving server"}
	}
	return nil
}

// Restore starts a fresh server from the backup and the archived WAL,
// recovered up to target (the last transaction committed at or before it)
// and promoted. The WAL up to now is archived first, so any target between
// b.At and now can be reached. Stop removes the server.
func Restore(ctx context.Context, b *Backup, target time.Time) (*Instance, error) {
	if target.Before(b.At) {
		return nil, &UsageError{Msg: fmt.Sprintf("cannot restore to %s: the base backup was taken later, at %s", target.Format(time.RFC3339Nano), b.At.Format(time.RFC3339Nano))}
	}
	if target.After(time.Now()) {
		return nil, &UsageError{Msg: fmt.Sprintf("cannot restore to %s: that moment has not come yet", target.Format(time.RFC3339Nano))}
	}
	if err := archiveNow(ctx, b.primary.URL); err != nil {
		return nil, fmt.Errorf("archive the latest WAL: %w", err)
	}
	var inst *Instance
	var err error
	switch b.provider {
	case Local:
		inst, err = localRestore(ctx, b, target)
	case Docker:
		inst, err = dockerRestore(ctx, b, target)
	}
	if err != nil {
		_ = inst.Stop(context.WithoutCancel(ctx))
		return nil, &StartError{Provider: b.provider, Server: "restored postgres", Err: err}
	}
	return inst, nil
}

// recoveryArgs are the settings of a server restored to target.
func recoveryArgs(restoreCommand string, target time.Time) []string {
	return []string{
		"-c", "restore_command=" + restoreCommand,
		"-c", "recovery_target_time=" + target.UTC().Format("2006-01-02 15:04:05.999999-07:00"),
		"-c", "recovery_target_action=promote",
		"-c", "archive_mode=off",
	}
}

// archiveSegmentMB is the archiving server's WAL segment size, in
// megabytes. Every base backup and every restore ends a segment early
// (pg_switch_wal), and an ended segment is archived whole: at the default
// 16 MB, a dozen restore checks filled the archive with 1.5 GB of mostly
// empty segments, which every restore then copied.
const archiveSegmentMB = "1"

// archiveArgs make a server archive every finished WAL segment with
// command (which copies %p to the archive as %f).
func archiveArgs(command string) []string {
	return []string{"-c", "archive_mode=on", "-c", "archive_command=" + command}
}

// preloadArgs load pg_stat_statements in every server: a few percent of
// overhead on statements, and one way for every lesson instead of a
// server of their own for the observability lessons.
var preloadArgs = []string{"-c", "shared_preload_libraries=pg_stat_statements"}

// archiveNow commits a transaction, ends the current WAL segment and
// waits until the archiver has copied it, so that a restore sees every
// commit made so far. The commit is there for a target after the last
// real one: recovery stops at the first commit past its target, and one
// that finds none ends with "recovery ended before configured recovery
// target was reached".
func archiveNow(ctx context.Context, primary string) error {
	return withConn(ctx, primary, func(conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "SELECT pg_current_xact_id()"); err != nil {
			return err
		}
		var segment string
		if err := conn.QueryRow(ctx, "SELECT pg_walfile_name(pg_switch_wal())").Scan(&segment); err != nil {
			return err
		}
		err := poll(ctx, 30*time.Second, func() (bool, error) {
			var last string
			err := conn.QueryRow(ctx, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").Scan(&last)
			return last >= segment, err
		})
		if errors.Is(err, ErrTimeout) {
			var failed string
			_ = conn.QueryRow(ctx, "SELECT coalesce(last_failed_wal, 'none') FROM pg_stat_archiver").Scan(&failed)
			return fmt.Errorf("segment %s was not archived (last failed: %s; see the server's log): %w", segment, failed, err)
		}
		return err
	})
}

// waitPromoted waits until a restored server has finished recovery.
func waitPromoted(ctx context.Context, url string) error {
	return withConn(ctx, url, func(conn *pgx.Conn) error {
		return poll(ctx, readyTimeout, func() (bool, error) {
			var recovering bool
			err := conn.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&recovering)
			return !recovering, err
		})
	})
}

// withConn runs f on a fresh superuser connection.
func withConn(ctx context.Context, url string, f func(*pgx.Conn) error) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", redact(url), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return f(conn)
}

// ErrTimeout says that a wait on a server ran out of time.
var ErrTimeout = errors.New("timed out")

// poll calls done every few milliseconds until it is true, fails, or the
// limit or ctx ends.
func poll(ctx context.Context, limit time.Duration, done func() (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w after %s", ErrTimeout, limit)
		case <-time.After(5 * time.Millisecond):
		}
	}
}
