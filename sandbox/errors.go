package sandbox

import (
	"fmt"
	"strings"
)

// UsageError is a mistake in what was asked for: an unknown provider, a
// malformed URL. Fix the command line, not the machine.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// UnavailableError says that no provider can give servers on this machine,
// and what to install.
type UnavailableError struct{ Tried []string }

func (e *UnavailableError) Error() string {
	return "no database servers available: " + strings.Join(e.Tried, "; ") +
		". Install and start Docker (https://docs.docker.com/engine/install/), " +
		"or install PostgreSQL and Redis (Debian/Ubuntu: apt-get install postgresql redis-server; " +
		"macOS: brew install postgresql redis), or pass --pg-url and --redis-url"
}

// StartError says which server of which provider failed to start, and why.
type StartError struct {
	Provider Provider
	Server   string // "postgres", "redis"
	Err      error
}

func (e *StartError) Error() string {
	return fmt.Sprintf("%s provider: start %s: %v", e.Provider, e.Server, e.Err)
}

func (e *StartError) Unwrap() error { return e.Err }
