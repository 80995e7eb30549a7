//go:build ignore

// Wrong: the rows of other roles are left out (userid = current_user), so
// no "<insufficient privilege>" line outranks this database's statements,
// but there is still no dbid filter. The role's statements in other
// databases stay in: asked for every statement, the list holds the
// decoy the second witness ran as this role in the postgres database.
//
//dblings:answer failed over=solution assertion="top statements by total time" says="other databases"
package observability

const topQuery = `
SELECT query, calls, total_exec_time, mean_exec_time
FROM pg_stat_statements
WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = current_user)
ORDER BY total_exec_time DESC
LIMIT $1`
