//go:build ignore

// Wrong: the database's hit ratio from pg_stat_database, the one most
// dashboards show. It counts every block of the database (catalogs and
// indexes too), not the tables' alone.
//
//dblings:answer failed over=solution assertion="table cache hit ratio" says="pg_stat_database"
package observability

const hitRatioQuery = `
SELECT blks_hit::float8 / nullif(blks_hit + blks_read, 0)
FROM pg_stat_database WHERE datname = current_database()`
