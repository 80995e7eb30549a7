package checker

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// SQLSTATE codes the lessons meet. Postgres documents them in its appendix
// "PostgreSQL Error Codes"; matching on the code, never on the message text,
// keeps checks working whatever language the server speaks.
const (
	CodeUniqueViolation          = "23505"
	CodeForeignKeyViolation      = "23503"
	CodeCheckViolation           = "23514"
	CodeSerializationFailure     = "40001"
	CodeDeadlockDetected         = "40P01"
	CodeLockNotAvailable         = "55P03" // lock_timeout fired, or NOWAIT found the row locked
	CodeQueryCanceled            = "57014" // statement_timeout fired, or the client cancelled
	CodeIdleInTransactionTimeout = "25P03" // idle_in_transaction_session_timeout ended the session
)

// SQLState returns the SQLSTATE code carried by err (or anything it wraps),
// and "" when err did not come from the Postgres server.
func SQLState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// IsSerializationFailure reports whether err is a serialization failure
// (40001): a SERIALIZABLE or REPEATABLE READ transaction lost a conflict and
// must be retried from the start.
func IsSerializationFailure(err error) bool { return SQLState(err) == CodeSerializationFailure }

// IsDeadlock reports whether Postgres broke a deadlock by aborting this
// transaction (40P01).
func IsDeadlock(err error) bool { return SQLState(err) == CodeDeadlockDetected }

// IsLockTimeout reports whether a statement gave up waiting for a lock
// (55P03), because lock_timeout fired or NOWAIT was used.
func IsLockTimeout(err error) bool { return SQLState(err) == CodeLockNotAvailable }

// IsStatementTimeout reports whether the server cancelled a statement
// (57014). statement_timeout is the usual cause; a cancelled context also ends
// this way when pgx manages to send the cancel request in time.
func IsStatementTimeout(err error) bool { return SQLState(err) == CodeQueryCanceled }

// IsUniqueViolation reports whether an insert or update broke a unique
// constraint or a unique index (23505).
func IsUniqueViolation(err error) bool { return SQLState(err) == CodeUniqueViolation }

// ExplainError says that EXPLAIN could not be run on a statement. The
// statement is kept so the message can show the learner which one.
type ExplainError struct {
	SQL string
	Err error
}

func (e *ExplainError) Error() string {
	return fmt.Sprintf("could not EXPLAIN %q: %v", shorten(OneLine(e.SQL), 200), e.Err)
}

func (e *ExplainError) Unwrap() error { return e.Err }

// NotFoundError says that a catalog object a check looked for does not exist,
// which usually means the learner's migration did not create it.
type NotFoundError struct {
	Kind string // "index" or "table"
	Name string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no %s named %q in the database", e.Kind, e.Name)
}

// PanicError is a panic recovered from a goroutine that ran the learner's
// code. Value is what was passed to panic; Where lists the innermost frames
// outside the Go runtime and this package, which usually point at the
// learner's line.
type PanicError struct {
	Goroutine int
	Value     any
	Where     []string
}

func (e *PanicError) Error() string {
	msg := fmt.Sprintf("goroutine %d panicked: %v", e.Goroutine, e.Value)
	if len(e.Where) > 0 {
		msg += " (at " + strings.Join(e.Where, " <- ") + ")"
	}
	return msg
}

// Unwrap returns the panic value when it was an error (a nil map write, a
// nil pointer dereference), so errors.As still finds runtime errors.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// GoroutineError is an error returned by the function run in one goroutine
// of [RunConcurrently].
type GoroutineError struct {
	Goroutine int
	Err       error
}

func (e *GoroutineError) Error() string {
	return fmt.Sprintf("goroutine %d: %v", e.Goroutine, e.Err)
}

func (e *GoroutineError) Unwrap() error { return e.Err }

// TimingError says that one side of a [Compare] failed, so no ratio could be
// measured.
type TimingError struct {
	Label  string // the label of the side that failed
	Sample int    // 0 for a warm-up run, else the 1-based sample number
	Err    error
}

func (e *TimingError) Error() string {
	when := "warm-up run"
	if e.Sample > 0 {
		when = fmt.Sprintf("sample %d", e.Sample)
	}
	return fmt.Sprintf("timing %s: %s failed: %v", e.Label, when, e.Err)
}

func (e *TimingError) Unwrap() error { return e.Err }

// FirstLine is the first line of s with surrounding space trimmed, or
// fallback when s is blank.
func FirstLine(s, fallback string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return fallback
	}
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// OneLine folds whitespace runs (newlines included) into single spaces, so
// SQL fits on one line of a message.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// shorten cuts s to at most n runes, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
