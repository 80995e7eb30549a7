//go:build ignore

// Forged: before the stub's migration, the code rewrites the
// application's functions so that its requests no longer touch payments
// and so never wait on its locks. The application belongs to the
// superuser, not to the learner's role, which may call it and cannot
// replace it: the first step fails with "permission denied for schema
// traffic" (the role may not create in that schema, nor own what is there).
//
//dblings:answer failed assertion="every step succeeds" says="permission denied for schema traffic"
package onlinemigration

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migration() []Step {
	return []Step{
		{Name: "quiet the application", Run: quiet},
		{Name: "migrate", Run: migrate},
		{Name: "deploy the version that uses cents", Deploy: UsesCents},
		{Name: "drop amount", Run: dropAmount},
	}
}

func quiet(ctx context.Context, db *pgxpool.Pool) error {
	for _, stmt := range []string{
		`CREATE OR REPLACE FUNCTION traffic.read_amount(p bigint) RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint'`,
		`CREATE OR REPLACE FUNCTION traffic.write_amount(p bigint, c bigint) RETURNS void LANGUAGE sql AS 'SELECT NULL'`,
	} {
		if _, err := db.Exec(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}
