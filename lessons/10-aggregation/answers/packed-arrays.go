//go:build ignore

// Wrong: one row instead of a hundred thousand, but that row holds every
// order of the period in three arrays, which Go then adds up. The row count
// looks like an aggregate's; the bytes are the stub's.
//
//dblings:answer failed over=solution assertion="no more bytes than the result" says="packed into a few wide rows"
package aggregation

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func RevenueByStatus(ctx context.Context, db *pgxpool.Pool, from, to time.Time) ([]StatusMonth, error) {
	var statuses []string
	var cents []int64
	var times []time.Time
	err := db.QueryRow(ctx, `
SELECT coalesce(array_agg(status), '{}'), coalesce(array_agg((amount * 100)::bigint), '{}'), coalesce(array_agg(created_at), '{}')
FROM orders WHERE created_at >= $1 AND created_at < $2`, from, to).Scan(&statuses, &cents, &times)
	if err != nil {
		return nil, err
	}
	type key struct {
		month  time.Time
		status string
	}
	lines := map[key]*StatusMonth{}
	for i, status := range statuses {
		t := times[i].UTC()
		k := key{time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), status}
		if lines[k] == nil {
			lines[k] = &StatusMonth{Month: k.month, Status: status}
		}
		lines[k].Orders++
		lines[k].RevenueCents += cents[i]
	}
	var out []StatusMonth
	for _, l := range lines {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b StatusMonth) int {
		return cmp.Or(a.Month.Compare(b.Month), cmp.Compare(a.Status, b.Status))
	})
	return out, nil
}
