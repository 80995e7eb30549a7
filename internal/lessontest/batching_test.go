package lessontest

import "testing"

func TestBatchingAnswers(t *testing.T) {
	checkAnswers(t, "batching", []answer{
		{name: "pgx-batch", pass: true},
		{name: "copy-staging", pass: true},
		{name: "multi-row-values", pass: true},
		{name: "single-unnest", pass: true},
		{name: "row-by-row", failing: "few round trips", says: "one INSERT per row, each waiting for its answer"},
		{name: "row-by-row-tx", failing: "few round trips", says: "inside a transaction"},
		{name: "batches-no-tx", failing: "all or nothing", says: "committed before the bad row"},
		{name: "no-upsert", failing: "your import runs", says: "already in the catalog"},
		{name: "do-nothing", failing: "existing SKUs updated", says: "kept their old values"},
		{name: "swallows-error", failing: "a bad row fails the import", says: "returned no error"},
	})
}
