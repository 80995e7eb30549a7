// Package contract is the one agreement between the runner (checker/run),
// which starts a lesson's check binary, and the checker library inside it:
// what a check is given, typed, in one environment variable.
//
// The runner fills a [Check] and puts [Check.Environ] in the check
// process's environment; the checker reads it back with [Read]. Both sides
// are compiled from this one file, so they cannot drift apart.
//
// A lesson that declares a replica (replica = true in its manifest) also
// gets [Check.Replica]: its own database as the replica serves it, under
// the same unprivileged role. Lag control (pausing and resuming replay)
// and point-in-time restores need a superuser, so they stay with the
// runner and its second witness; no superuser URL is ever handed over. A
// lesson that declares archive asks the runner for restores through
// [Check.Vault], and gets back URLs as its own role.
package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Variable is the environment variable that carries the contract.
const Variable = "DBLINGS_CHECK"

// Check is everything one check run is handed.
type Check struct {
	// Postgres are the URLs of this run's own databases, fresh clones of
	// the lesson's fixture, one per server the lesson needs. The first is
	// the lesson's database; a multi-server lesson gets its shards in order.
	Postgres []string `json:"postgres"`
	// Redis is the URL of a flushed Redis logical database of its own, or
	// "" for a lesson that uses no Redis.
	Redis string `json:"redis,omitempty"`
	// Replica is the URL of the first Postgres database (Postgres[0]) on
	// the streaming replica, as the same role: read-only, and behind the
	// primary by however much the runner lets it lag. "" for a lesson that
	// declares no replica.
	Replica string `json:"replica,omitempty"`
	// ReplicaLag is how late the replica applies each of the check's
	// commits (the lesson's servers.replica_lag), already in effect when
	// the check starts; 0 when the replica is not delayed.
	ReplicaLag time.Duration `json:"replica_lag,omitempty"`
	// Vault is the Unix socket of the runner's backup vault, for a lesson
	// that declares archive = true: the base backups the runner took of
	// the check's server and fresh servers restored from them (package
	// checker/vault speaks to it). "" for other lessons.
	Vault string `json:"vault,omitempty"`
	// Report is the JSON-lines file every assertion appends a record to.
	Report string `json:"report"`
	// Seed is the seed of the fixture's data in the databases (0: the
	// fixed data). A check that generates data of the fixture itself, such
	// as the shop's orders it feeds the learner's code, uses it.
	Seed uint64 `json:"seed,omitempty"`
}

// Environ is the contract as a NAME=value entry for a process's environment.
func (c Check) Environ() (string, error) {
	if err := c.validate(); err != nil {
		return "", err
	}
	data, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return Variable + "=" + string(data), nil
}

// MissingError says that a check was started without the runner: plain
// `go test` cannot run a check.
type MissingError struct{}

func (*MissingError) Error() string {
	return Variable + " is not set: this check must be run by `dblings check`, " +
		"which prepares a fresh database and Redis for it and reads its report; " +
		"plain `go test` cannot run it"
}

// Read decodes the contract from getenv (os.Getenv in a check).
func Read(getenv func(string) string) (Check, error) {
	raw := getenv(Variable)
	if raw == "" {
		return Check{}, &MissingError{}
	}
	var c Check
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return Check{}, fmt.Errorf("%s cannot be read: %w", Variable, err)
	}
	if err := c.validate(); err != nil {
		return Check{}, err
	}
	return c, nil
}

func (c Check) validate() error {
	var missing []error
	if len(c.Postgres) == 0 {
		missing = append(missing, errors.New("no Postgres database"))
	}
	if c.Report == "" {
		missing = append(missing, errors.New("no report file"))
	}
	if err := errors.Join(missing...); err != nil {
		return fmt.Errorf("%s is incomplete: %w", Variable, err)
	}
	return nil
}
