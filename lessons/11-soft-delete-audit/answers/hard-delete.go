//go:build ignore

// Wrong: everything in place, the trigger even records the deletion, but
// Delete still runs a DELETE: the member's row is gone, and only the audit
// remembers it.
//
//dblings:answer failed over=solution assertion="soft delete keeps the row" says="a hard DELETE"
package softdeleteaudit

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Delete(ctx context.Context, db *pgxpool.Pool, actor string, id int64) error {
	return update(ctx, db, actor, `DELETE FROM members WHERE id = $1`, id)
}
