//go:build ignore

// Wrong: no dbid filter. pg_stat_statements is one table for the whole
// server, so the top of it is whatever other databases ran most (the
// fixture's own load, hidden from this role as "<insufficient privilege>"),
// and the list of every statement holds the witness's decoy, run as this
// role in another database.
//
//dblings:answer failed over=solution assertion="top statements by total time" says="other databases"
package observability

const topQuery = `
SELECT query, calls, total_exec_time, mean_exec_time
FROM pg_stat_statements
ORDER BY total_exec_time DESC
LIMIT $1`
