//go:build ignore

// Wrong: the reference schema, but exec runs the statements straight on
// the *sql.DB, as the stub's did: each one commits on its own, and goose
// records the version afterwards in a statement of its own. When that
// record fails (or any statement after the first), what ran stays, the
// version table says it never did, and the next up trips over it.
//
//dblings:answer failed over=solution assertion="a failed migration leaves nothing behind" says="left half a migration behind"
package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

func exec(stmts ...string) *goose.GoFunc {
	return &goose.GoFunc{RunDB: func(ctx context.Context, db *sql.DB) error {
		for _, s := range stmts {
			if _, err := db.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	}}
}
