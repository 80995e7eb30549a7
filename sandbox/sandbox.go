// Package sandbox starts, finds and removes the disposable Postgres and Redis
// servers that every dblings run works on.
//
// Three providers sit behind one Start call: docker (testcontainers-go),
// local (the machine's own initdb/postgres and redis-server binaries) and
// external (servers given by URL, never started or removed). Whatever a
// provider starts carries the owner's pid and start time, so a later Start can
// reap what a crashed process left behind, and for an environment kept by
// "dblings env up" the workspace it serves, so that its keeper can be found
// (Keepers) when the workspace's record of it is lost.
//
// Every Postgres server loads pg_stat_statements. On request (Config) the
// docker and local providers also start a streaming replica of the first
// server, whose replay the caller pauses and resumes (Replica), and an
// archiving server of its own, whose WAL is archived, for base backups and
// point-in-time restores (Env.BaseBackup, Restore). The external provider takes a replica by URL
// and refuses the rest with a CapabilityError.
package sandbox

import (
	"context"
	"fmt"
)

// Provider names a way of getting servers.
type Provider string

// The providers, in the order auto-selection tries them.
const (
	External Provider = "external"
	Docker   Provider = "docker"
	Local    Provider = "local"
)

// ParseProvider turns a flag value into a Provider; "" and "auto" mean auto.
func ParseProvider(s string) (Provider, error) {
	switch s {
	case "", "auto":
		return "", nil
	case string(Docker), string(Local), string(External):
		return Provider(s), nil
	}
	return "", &UsageError{Msg: fmt.Sprintf("unknown environment %q: choose docker, local or external", s)}
}

// Config says what to start. The zero value starts one Postgres and one Redis
// with the provider auto-selection picks.
type Config struct {
	// Provider forces a provider; empty means auto-selection.
	Provider Provider
	// PostgresURLs and RedisURL are the servers of the external provider.
	PostgresURLs []string
	RedisURL     string
	// PostgresImage and RedisImage are the docker provider's images.
	PostgresImage string
	RedisImage    string
	// PostgresServers is how many Postgres servers to start (at least 1).
	PostgresServers int
	// Replica starts a streaming replica of the first Postgres server with
	// the environment (Env.Replica). The external provider takes it from
	// ReplicaURL instead.
	Replica bool
	// ReplicaURL is the external provider's replica of its first Postgres
	// server.
	ReplicaURL string
	// Archive starts one more Postgres server, the archiving server
	// (Env.Archived), which archives its WAL into Env.Archive, for base
	// backups and point-in-time restores. It is a server of its own so
	// that it holds only the databases of the lessons that restore it: a
	// base backup of the first server would copy every lesson's data.
	Archive bool
	// Keep leaves the servers running when the process that started them
	// exits normally (dblings env up); they are still reaped once it is gone.
	Keep bool
	// Workspace is the workspace a kept environment serves. It is written
	// on what the provider starts (a label on each container, the local
	// servers' owner file, a marker file for external servers), so that the
	// keeper can be found when the workspace's env.json is lost.
	Workspace string
}

// Server is one running server, reachable from this machine.
type Server struct {
	// URL connects as a superuser (Postgres: to the "postgres" database;
	// Redis: to logical database 0).
	URL string `json:"url"`
	// Version is what the server reports, e.g. "15.18" or "7.0.15".
	Version string `json:"version"`
	// Container is the docker provider's container of the server.
	Container string `json:"container,omitempty"`
}

// Env is a running environment: at least one Postgres server and one Redis.
type Env struct {
	Provider Provider `json:"provider"`
	Postgres []Server `json:"postgres"`
	Redis    Server   `json:"redis"`
	// Replica is a streaming replica of the first Postgres server, when
	// Config.Replica asked for one (see ReplicaOf).
	Replica *Server `json:"replica,omitempty"`
	// Archived is the archiving server, when Config.Archive asked for it.
	Archived *Server `json:"archived,omitempty"`
	// Archive is where the archiving server archives its WAL: a directory
	// of this machine (local) or of the server's container (docker).
	Archive string `json:"archive,omitempty"`
	// Kept is true for an environment kept by "dblings env up" and reused:
	// this process did not start it and will not stop it.
	Kept bool `json:"-"`
	stop func(context.Context) error
}

// PrimaryURL is the URL of the first Postgres server.
func (e *Env) PrimaryURL() string { return e.Postgres[0].URL }

// Stop removes what the provider started; for external it does nothing.
// It is safe to call more than once.
func (e *Env) Stop(ctx context.Context) error {
	if e == nil || e.stop == nil {
		return nil
	}
	stop := e.stop
	e.stop = nil
	return stop(ctx)
}
