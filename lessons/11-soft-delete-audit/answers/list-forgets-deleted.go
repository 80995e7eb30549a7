//go:build ignore

// Wrong: Get and FindByEmail skip deleted members, but ListByPlan was
// forgotten: the plan's page still lists the members support deleted.
//
//dblings:answer failed over=solution assertion="reads skip deleted members" says="deleted by the check"
package softdeleteaudit

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func ListByPlan(ctx context.Context, db *pgxpool.Pool, plan string) ([]Member, error) {
	rows, err := db.Query(ctx, `SELECT `+memberColumns+` FROM members WHERE plan = $1 ORDER BY id`, plan)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Member, error) { return scanMember(row) })
}
