package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/dblings/dblings/checker/contract"
)

// CountUsers tries what a learner's code must not be able to do, on the
// pool it is given and on the Redis it can find in its own environment,
// and reports every outcome as its error.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var template string
	_ = db.QueryRow(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'dbl_tpl_%' LIMIT 1`).Scan(&template)
	var outcomes []string
	for _, sql := range []string{
		"ALTER SYSTEM SET enable_indexscan = off",
		`DROP DATABASE "` + template + `"`,
		"CREATE ROLE intruder SUPERUSER",
		"ALTER ROLE postgres SET enable_seqscan = off",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'postgres' AND pid <> pg_backend_pid()",
	} {
		_, err := db.Exec(ctx, sql)
		outcomes = append(outcomes, fmt.Sprintf("%s => %v", strings.Fields(sql)[0]+" "+strings.Fields(sql)[1], err))
	}
	given, err := contract.Read(os.Getenv)
	if err != nil {
		return 0, err
	}
	opts, err := redis.ParseURL(given.Redis)
	if err != nil {
		return 0, err
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	for _, cmd := range [][]any{{"CONFIG", "SET", "maxmemory", "1mb"}, {"FLUSHALL"}, {"ACL", "LIST"}, {"CLIENT", "KILL", "TYPE", "normal"}, {"KEYS", "*"}, {"SELECT", (opts.DB + 1) % 16}, {"MOVE", "k", (opts.DB + 1) % 16}} {
		err := rdb.Do(ctx, cmd...).Err()
		outcomes = append(outcomes, fmt.Sprintf("%s => %v", cmd[0], err))
	}
	for _, kv := range os.Environ() {
		if strings.Contains(kv, "judge-secret") {
			outcomes = append(outcomes, "found the judge's secret in "+strings.SplitN(kv, "=", 2)[0])
		}
	}
	return 0, errors.New(strings.Join(outcomes, "; "))
}
