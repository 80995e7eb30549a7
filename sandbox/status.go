package sandbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Status is one capability of a running environment as doctor reports it.
type Status struct {
	Name   string
	OK     bool
	Detail string
}

// Capabilities looks at what the running environment gives beyond plain
// servers: pg_stat_statements in every Postgres server, the replica
// (streaming, and how far behind) and the WAL archive (working, and how
// much it holds). needReplica and needArchive say whether the lessons need
// them, so that a missing one is a problem only then.
func (e *Env) Capabilities(ctx context.Context, needReplica, needArchive bool) []Status {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out := []Status{e.statStatements(ctx)}
	switch r, err := e.ReplicaOf(); {
	case err == nil:
		out = append(out, replicaStatus(ctx, r))
	case needReplica:
		out = append(out, Status{"replica", false, "the lessons need a streaming replica and this environment has none: " + restartHint(e)})
	default:
		out = append(out, Status{"replica", true, "none (no lesson needs one)"})
	}
	switch {
	case e.Archived != nil:
		out = append(out, archiveStatus(ctx, e.Archived.URL, e.Archive))
	case needArchive:
		out = append(out, Status{"WAL archive", false, "the lessons need WAL archiving and this environment has none: " + restartHint(e)})
	default:
		out = append(out, Status{"WAL archive", true, "none (no lesson needs one)"})
	}
	return out
}

func restartHint(e *Env) string {
	if e.Provider == External {
		return "give --replica-url for a replica; for a WAL archive use --env docker or --env local"
	}
	return "dblings env down, then dblings env up"
}

func (e *Env) statStatements(ctx context.Context) Status {
	var missing []string
	for i, s := range e.Postgres {
		var libs string
		err := withConn(ctx, s.URL, func(conn *pgx.Conn) error {
			return conn.QueryRow(ctx, "SELECT current_setting('shared_preload_libraries')").Scan(&libs)
		})
		if err != nil || !strings.Contains(libs, "pg_stat_statements") {
			missing = append(missing, fmt.Sprintf("postgres[%d]", i))
		}
	}
	if len(missing) > 0 {
		return Status{"pg_stat_statements", false, "not loaded in " + strings.Join(missing, ", ") +
			" (shared_preload_libraries): the observability lessons cannot read query statistics there"}
	}
	return Status{"pg_stat_statements", true, fmt.Sprintf("loaded in every Postgres server (%d)", len(e.Postgres))}
}

func replicaStatus(ctx context.Context, r *Replica) Status {
	lag, err := r.Lag(ctx)
	switch {
	case err != nil:
		return Status{"replica", false, "does not answer: " + err.Error()}
	case !lag.Streaming:
		return Status{"replica", false, "answers but does not stream from its primary"}
	case lag.Paused:
		return Status{"replica", true, fmt.Sprintf("streaming, replay paused, %d bytes behind", lag.Bytes)}
	}
	return Status{"replica", true, fmt.Sprintf("streaming, %d bytes behind", lag.Bytes)}
}

func archiveStatus(ctx context.Context, primary, where string) Status {
	var archived, failed int64
	var lastFailed string
	err := withConn(ctx, primary, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, `SELECT archived_count, failed_count,
			CASE WHEN last_failed_time > coalesce(last_archived_time, '-infinity') THEN last_failed_wal ELSE '' END
			FROM pg_stat_archiver`).Scan(&archived, &failed, &lastFailed)
	})
	switch {
	case err != nil:
		return Status{"WAL archive", false, "cannot read pg_stat_archiver: " + err.Error()}
	case lastFailed != "":
		return Status{"WAL archive", false, fmt.Sprintf("the archive command fails (segment %s); see the server's log", lastFailed)}
	}
	return Status{"WAL archive", true, fmt.Sprintf("archiving to %s, %d segments so far", where, archived)}
}
