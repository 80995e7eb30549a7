//go:build ignore

// Wrong: hits divided by reads, a number in the hundreds rather than a
// share between 0 and 1.
//
//dblings:answer failed over=solution assertion="table cache hit ratio" says="hits divided by reads"
package observability

const hitRatioQuery = `
SELECT coalesce(sum(heap_blks_hit)::float8 / nullif(sum(heap_blks_read), 0), 0)
FROM pg_statio_user_tables`
