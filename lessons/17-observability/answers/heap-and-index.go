//go:build ignore

// Wrong: adds the index blocks to the table blocks, two ratios mixed into
// one that is neither.
//
//dblings:answer failed over=solution assertion="table cache hit ratio" says="index blocks"
package observability

const hitRatioQuery = `
SELECT coalesce(sum(heap_blks_hit + coalesce(idx_blks_hit, 0))::float8
       / nullif(sum(heap_blks_hit + heap_blks_read + coalesce(idx_blks_hit, 0) + coalesce(idx_blks_read, 0)), 0), 0)
FROM pg_statio_user_tables`
