package lessontest

import "testing"

func TestOptimisticLockingAnswers(t *testing.T) {
	checkAnswers(t, "optimistic-locking", []answer{
		{name: "returning", pass: true},
		{name: "backoff", pass: true},
		{name: "repeatable-read", pass: true},
		{name: "no-version-check", failing: "no lost update", says: "cents were lost"},
		{name: "for-update", failing: "no row locks", says: "pessimistic locking"},
		{name: "retry-forever", failing: "gives up after maxAttempts", says: "only because the other writer stopped"},
		{name: "no-retry-silent", failing: "no lost update", says: "cents were lost"},
		{name: "no-retry", failing: "conflicts detected and retried", says: "change ran only once per Update"},
		{name: "stale-retry", failing: "conflicts detected and retried", says: "change ran only once per Update"},
		{name: "plain-error", failing: "gives up after maxAttempts", says: "which is not ErrConflict"},
		{name: "version-not-bumped", failing: "version advanced once per update", says: "went from version 0 to 0"},
	})
}
