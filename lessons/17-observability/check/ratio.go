package check

import (
	"context"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
)

// ratioTolerance: the counters hold still while the learner's code reads
// them (see settle), so a right answer equals the check's to the last
// digits; the tolerance only absorbs rounding.
const ratioTolerance = 1e-6

// blocks are the buffer counters of this database's tables, summed.
type blocks struct {
	HeapHit, HeapRead, IdxHit, IdxRead int64
}

func (b blocks) heapRatio() float64 { return ratio(b.HeapHit, b.HeapHit+b.HeapRead) }

func ratio(num, den int64) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

func readBlocks(ctx context.Context, admin *pgxpool.Pool) (blocks, error) {
	var b blocks
	err := admin.QueryRow(ctx, checkMark+` SELECT coalesce(sum(heap_blks_hit), 0)::bigint, coalesce(sum(heap_blks_read), 0)::bigint,
	coalesce(sum(idx_blks_hit), 0)::bigint, coalesce(sum(idx_blks_read), 0)::bigint FROM pg_statio_user_tables`).
		Scan(&b.HeapHit, &b.HeapRead, &b.IdxHit, &b.IdxRead)
	return b, err
}

// checkHitRatio compares CacheHitRatio with the check's own: the share of
// this database's table (heap) block reads served from shared buffers.
func checkHitRatio(ctx context.Context, c *checker.Check, ex Exercise) {
	before, err := readBlocks(ctx, c.Admin())
	c.RequireNoError("read pg_statio_user_tables before CacheHitRatio", err)
	got, err := ex.CacheHitRatio(ctx, c.Pool())
	c.RequireNoError("CacheHitRatio runs", err)
	after, err := readBlocks(ctx, c.Admin())
	c.RequireNoError("read pg_statio_user_tables after CacheHitRatio", err)

	want := after.heapRatio()
	ok := math.Abs(got-want) <= ratioTolerance || math.Abs(got-before.heapRatio()) <= ratioTolerance
	msg := fmt.Sprintf("CacheHitRatio returned %.6f, this database's table hit ratio: %s of %s table blocks came from shared buffers",
		got, checker.FormatCount(after.HeapHit), checker.FormatCount(after.HeapHit+after.HeapRead))
	if !ok {
		msg = fmt.Sprintf("CacheHitRatio returned %.6f, but this database's tables were served %s blocks from shared buffers and read %s: heap_blks_hit / (heap_blks_hit + heap_blks_read) = %.6f. %s",
			got, checker.FormatCount(after.HeapHit), checker.FormatCount(after.HeapRead), want, ratioMistake(got, after))
	}
	c.Assert(ratioName, ok, msg, checker.Evidence{Counts: map[string]int64{
		"heap_blks_hit": after.HeapHit, "heap_blks_read": after.HeapRead,
		"idx_blks_hit": after.IdxHit, "idx_blks_read": after.IdxRead,
	}, Details: map[string]any{"returned": got, "expected": want}})
}

// ratioMistake names the usual wrong formula the answer matches, if any.
func ratioMistake(got float64, b blocks) string {
	near := func(v float64) bool { return math.Abs(got-v) <= 1e-4*math.Max(1, math.Abs(v)) }
	switch {
	case near(ratio(b.HeapHit, b.HeapRead)):
		return "That is hits divided by reads: a ratio of hits to every block asked for divides by hits + reads."
	case near(ratio(b.HeapHit+b.IdxHit, b.HeapHit+b.HeapRead+b.IdxHit+b.IdxRead)):
		return "That mixes in the index blocks (idx_blks_*): the table hit ratio counts the tables' own blocks, heap_blks_* only."
	case near(ratio(b.IdxHit, b.IdxHit+b.IdxRead)):
		return "That is the index hit ratio (idx_blks_*); the table hit ratio uses heap_blks_*."
	case got > 1 || got < 0:
		return "A ratio of hits to all blocks lies between 0 and 1."
	}
	return "Sum the counters over this database's tables (pg_statio_user_tables), then divide once: a mean of per-table ratios, or the whole database's blks_hit from pg_stat_database (catalogs and indexes too), is another number."
}
