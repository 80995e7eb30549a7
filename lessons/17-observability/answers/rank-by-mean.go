//go:build ignore

// Wrong: ranks by mean time, the "slowest queries" a slow-query log shows.
// The planted report comes first, and the N+1, whose thousands of fast
// calls cost the server the most, is left out of the list.
//
//dblings:answer failed over=solution assertion="top statements by total time" says="sort by total_exec_time"
package observability

const topQuery = `
SELECT query, calls, total_exec_time, mean_exec_time
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY mean_exec_time DESC
LIMIT $1`
