package check

import "testing"

func TestPlainIndexBuild(t *testing.T) {
	for _, tc := range []struct {
		sql   string
		plain bool
	}{
		{"CREATE INDEX payments_amount_cents_idx ON payments (amount_cents)", true},
		{"create unique index x on payments(amount_cents)", true},
		{"CREATE INDEX CONCURRENTLY x ON payments (amount_cents)", false},
		{"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS x ON payments (amount_cents)", false},
		{"DO $$ BEGIN EXECUTE 'CREATE INDEX x ON payments (amount_cents)'; END $$", true},
		{"REINDEX TABLE payments", true},
		{"REINDEX TABLE CONCURRENTLY payments", false},
		{"DROP INDEX CONCURRENTLY IF EXISTS x", false},
		{"UPDATE payments SET amount_cents = amount * 100 WHERE id <= 5000", false},
	} {
		if got := plainIndexBuild(tc.sql); got != tc.plain {
			t.Errorf("plainIndexBuild(%q) = %v, want %v", tc.sql, got, tc.plain)
		}
	}
}
