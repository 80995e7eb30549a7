// Package check is lesson 18's check. By the time it runs, the second
// witness has played an incident on the check's database: base backups,
// orders, a DROP TABLE customers CASCADE that a migration meant for
// staging ran on production, and orders placed after it. The check hands
// the learner's Restore the damaged database and the backup vault, times
// it, and holds what comes back to the damaged shop's own evidence: the
// DDL log says when the DROP ran, and the orders table, which survived,
// says which orders came before it and which after.
//
// The check lives in a package of its own, compiled once and cached;
// exercises/18-backup-restore/check_test.go hands it the learner's code,
// so an edit recompiles only the learner's file and that shim.
package check

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/contract"
	"github.com/dblings/dblings/checker/vault"
)

// Recovery is the learner's report of the drill.
type Recovery struct {
	Server string
	RTO    time.Duration
	Lost   []int64
}

// Restore is the learner's function.
type Restore func(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (Recovery, error)

// Assertion names; answers refer to them.
const (
	nameRestored  = "Restore brings back a restored server"
	nameFromVault = "the server is a restore, not a replica"
	nameTable     = "the dropped table is back"
	nameOrders    = "every order placed before the DROP, none after"
	nameLost      = "RPO: the lost orders are named"
	nameRTO       = "RTO: measured from the start of the drill"
	nameDrill     = "the drill finishes within its bound"
)

// drillBound is how long the whole drill may take: a restore of this shop
// takes a second or two on a laptop, several on a loaded CI machine.
const drillBound = 45 * time.Second

// Run is the check of lesson 18.
func Run(t *testing.T, restore Restore) {
	given, err := contract.Read(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if given.Vault == "" {
		t.Fatal("the runner gave no backup vault: lesson.toml must say servers.archive = true")
	}
	c := checker.New(t, checker.WithWeights(checker.Weights{
		nameRestored:  1,
		nameFromVault: 1,
		nameTable:     3, // the point of the lesson: the data is back
		nameOrders:    3,
		nameLost:      1,
		nameRTO:       1,
		nameDrill:     1,
	}))
	ctx := c.Ctx()
	v := vault.Dial(given.Vault)
	ev := readEvidence(c, ctx)

	start := time.Now()
	rec, err := restore(ctx, c.Pool(), v)
	took := time.Since(start)
	c.RequireNoError(nameRestored, err)

	server := checkFromVault(c, ctx, v, rec)
	checkRTO(c, rec, server, took)
	drill := fmt.Sprintf("the drill took %s, at most %s", took.Round(time.Millisecond), drillBound)
	if took > drillBound {
		drill = fmt.Sprintf("the drill took %s, more than %s: restore once, from the newest backup that can reach the target", took.Round(time.Millisecond), drillBound)
	}
	c.Assert(nameDrill, took <= drillBound, drill, checker.Evidence{})
	conn, err := pgx.Connect(ctx, rec.Server)
	c.RequireNoError(nameTable, err)
	defer conn.Close(context.WithoutCancel(ctx))
	checkTable(c, ctx, conn, ev)
	restored := checkOrders(c, ctx, conn, ev)
	checkLost(c, ev, restored, rec)
}

// evidence is what the damaged shop says about the incident.
type evidence struct {
	droppedAt time.Time
	before    []int64 // orders placed before the DROP, by id
	after     []int64 // orders placed after it
}

func readEvidence(c *checker.Check, ctx context.Context) evidence {
	var ev evidence
	err := c.Admin().QueryRow(ctx, `SELECT at FROM audit.ddl_log WHERE objects = 'public.customers' ORDER BY id LIMIT 1`).Scan(&ev.droppedAt)
	c.RequireNoError("read the DDL log", err)
	ev.before, err = ids(ctx, c.Admin(), `SELECT id FROM orders WHERE placed_at < $1 ORDER BY id`, ev.droppedAt)
	c.RequireNoError("read the damaged shop's orders", err)
	ev.after, err = ids(ctx, c.Admin(), `SELECT id FROM orders WHERE placed_at >= $1 ORDER BY id`, ev.droppedAt)
	c.RequireNoError("read the damaged shop's orders", err)
	return ev
}

// querier is a pool or a connection.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func ids(ctx context.Context, q querier, sql string, args ...any) ([]int64, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// checkFromVault finds the returned server among the vault's restores; a
// standby (the replica) or the damaged primary is not one.
func checkFromVault(c *checker.Check, ctx context.Context, v *vault.Client, rec Recovery) vault.Restored {
	restores, err := v.Restores(ctx)
	c.RequireNoError(nameFromVault, err)
	i := slices.IndexFunc(restores, func(r vault.Restored) bool { return r.URL == rec.Server })
	if i >= 0 {
		r := restores[i]
		c.Assert(nameFromVault, true, fmt.Sprintf("restored from %q to %s", r.Backup, r.Target.Format("15:04:05.000000")), checker.Evidence{})
		return r
	}
	why := "it is not one the vault restored"
	var standby bool
	if conn, err := pgx.Connect(ctx, rec.Server); err == nil {
		if conn.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&standby) == nil && standby {
			why = "it is a standby still replaying the primary: a replica, which applied the DROP moments after the primary did. Replication copies mistakes; only a backup and the WAL archive can go back in time"
		}
		conn.Close(ctx)
	} else if rec.Server == "" {
		why = "Recovery.Server is empty"
	}
	c.Assert(nameFromVault, false, "the server Restore returned is not a restore: "+why, checker.Evidence{})
	return vault.Restored{}
}

func checkRTO(c *checker.Check, rec Recovery, server vault.Restored, took time.Duration) {
	switch {
	case rec.RTO <= 0:
		c.Assert(nameRTO, false, fmt.Sprintf("RTO is %s: time the drill from its start until the restored server answers", rec.RTO), checker.Evidence{})
	case rec.RTO > took:
		c.Assert(nameRTO, false, fmt.Sprintf("RTO is %s, longer than the whole drill (%s): measure from the start of Restore, not from when the backup was taken",
			rec.RTO.Round(time.Millisecond), took.Round(time.Millisecond)), checker.Evidence{})
	case rec.RTO < server.Took:
		c.Assert(nameRTO, false, fmt.Sprintf("RTO is %s, shorter than the restore itself (%s): measure until the restored server answers",
			rec.RTO.Round(time.Millisecond), server.Took.Round(time.Millisecond)), checker.Evidence{})
	default:
		c.Assert(nameRTO, true, fmt.Sprintf("RTO %s (the vault's restore: %s; the whole drill: %s)",
			rec.RTO.Round(time.Millisecond), server.Took.Round(time.Millisecond), took.Round(time.Millisecond)), checker.Evidence{})
	}
}

func checkTable(c *checker.Check, ctx context.Context, conn *pgx.Conn, ev evidence) {
	var exists bool
	c.RequireNoError(nameTable, conn.QueryRow(ctx, `SELECT to_regclass('public.customers') IS NOT NULL`).Scan(&exists))
	if !exists {
		c.Assert(nameTable, false, fmt.Sprintf("the restored server has no customers table: it replayed the DROP of %s. Recover to a moment before it",
			ev.droppedAt.Format("15:04:05.000000")), checker.Evidence{})
		return
	}
	// The orders survived the DROP: every customer they name must be back.
	var customers, orphans int64
	c.RequireNoError(nameTable, conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM customers),
	(SELECT count(DISTINCT o.customer_id) FROM orders o WHERE NOT EXISTS (SELECT FROM customers c WHERE c.id = o.customer_id))`).Scan(&customers, &orphans))
	if orphans > 0 {
		c.Assert(nameTable, false, fmt.Sprintf("customers is back with %d rows, but %d customers that the restored orders name are not among them: "+
			"the table must come back as it was, from the backups, not be made anew", customers, orphans), checker.Evidence{})
		return
	}
	c.Assert(nameTable, true, fmt.Sprintf("customers is back, with %d rows, every customer of the restored orders among them", customers), checker.Evidence{})
}

// checkOrders compares the restored orders with the damaged shop's: every
// order placed before the DROP, none after. It returns the restored ids.
func checkOrders(c *checker.Check, ctx context.Context, conn *pgx.Conn, ev evidence) []int64 {
	got, err := ids(ctx, conn, `SELECT id FROM orders ORDER BY id`)
	c.RequireNoError(nameOrders, err)
	missing := without(ev.before, got)
	extra := slices.DeleteFunc(slices.Clone(got), func(id int64) bool { return !slices.Contains(ev.after, id) })
	switch {
	case len(extra) > 0:
		c.Assert(nameOrders, false, fmt.Sprintf("the restored server holds %d order(s) placed after the DROP of %s: it was recovered past the mistake",
			len(extra), ev.droppedAt.Format("15:04:05.000000")), checker.Evidence{})
	case len(missing) > 0:
		c.Assert(nameOrders, false, fmt.Sprintf("the restored server lacks %d of the %d orders placed before the DROP (the first missing is order %d): "+
			"the recovery stopped too early. A base backup alone, or a target with a safety margin, loses what was committed in between",
			len(missing), len(ev.before), missing[0]), checker.Evidence{})
	default:
		c.Assert(nameOrders, true, fmt.Sprintf("all %d orders placed before the DROP, none of the %d after", len(ev.before), len(ev.after)), checker.Evidence{})
	}
	return got
}

func checkLost(c *checker.Check, ev evidence, restored []int64, rec Recovery) {
	want := without(append(slices.Clone(ev.before), ev.after...), restored)
	slices.Sort(want)
	if slices.Equal(rec.Lost, want) || (len(rec.Lost) == 0 && len(want) == 0) {
		c.Assert(nameLost, true, fmt.Sprintf("%d order(s) lost, named", len(want)), checker.Evidence{})
		return
	}
	c.Assert(nameLost, false, fmt.Sprintf("Lost names %d order(s); the damaged shop holds %d that the restored server lacks (orders placed after the target)",
		len(rec.Lost), len(want)), checker.Evidence{})
}

// without is the ids of a that are not in b (both sorted).
func without(a, b []int64) []int64 {
	var out []int64
	for _, id := range a {
		if _, found := slices.BinarySearch(b, id); !found {
			out = append(out, id)
		}
	}
	return out
}
