// Package backuprestore is lesson 18's second witness. Before the check it
// plays the incident on the check's database as the superuser (backups,
// orders, the DROP TABLE, the orders after it) and keeps what the shop
// held the moment before the mistake. After the check it reads, as the
// superuser, every server the vault restored for the learner's code: one
// of them must hold exactly that, and nothing may have been written to it
// since it was promoted (the server's own table statistics, which a fresh
// server starts at zero and the learner's role cannot reset).
package backuprestore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/witness"
)

// Fact names; the answers refer to them.
const (
	factRestored = "a server was restored from the backups"
	factExact    = "a restored server holds the shop as it was just before the DROP"
)

// Witness plays the incident and returns the judge.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	if s.Vault == nil {
		return nil, fmt.Errorf("lesson 18's witness needs the backup vault: lesson.toml must say servers.archive = true")
	}
	var t truth
	err := s.With(ctx, 0, func(conn *pgx.Conn) (err error) {
		t, err = playIncident(ctx, conn, s, rand.New(rand.NewPCG(s.Seed, 0x18)))
		return err
	})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) ([]witness.Fact, error) { return judge(ctx, s.Vault, t) }, nil
}

func judge(ctx context.Context, v witness.Vault, t truth) ([]witness.Fact, error) {
	restores := v.Restores()
	facts := []witness.Fact{witness.Holds(factRestored, len(restores) > 0,
		fmt.Sprintf("the vault restored %d server(s)", len(restores)),
		"the vault restored no server: a replica or the damaged primary is not a restore")}
	var seen []string
	for _, r := range restores {
		found, err := inspect(ctx, r, t)
		if err != nil {
			return nil, err
		}
		if found == "" {
			return append(facts, witness.Holds(factExact, true,
				fmt.Sprintf("the restore of %q to %s holds all %d customers and %d orders of the moment before the DROP, untouched",
					r.Backup, r.Target.Format("15:04:05.000000"), t.customers.rows, t.orders.rows), "")), nil
		}
		seen = append(seen, fmt.Sprintf("the restore of %q to %s %s", r.Backup, r.Target.Format("15:04:05.000000"), found))
	}
	msg := "no server was restored"
	if len(seen) > 0 {
		msg = strings.Join(seen, "; ")
	}
	return append(facts, witness.Holds(factExact, false, "", msg+
		fmt.Sprintf(" (the DROP ran at %s)", t.droppedAt.Format("15:04:05.000000")))), nil
}

// inspect says what is wrong with one restored server, or "" when it holds
// the shop of the moment before the DROP, untouched.
func inspect(ctx context.Context, r witness.Restore, t truth) (string, error) {
	conn, err := pgx.Connect(ctx, r.Admin)
	if err != nil {
		return "", fmt.Errorf("connect to the restored server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	customers, orders, err := digests(ctx, conn)
	if err != nil {
		return "", err
	}
	var written int64
	err = conn.QueryRow(ctx, `SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables`).Scan(&written)
	if err != nil {
		return "", err
	}
	switch {
	case customers.rows == 0 && customers.md5 == "":
		return "has no customers table: it replayed the DROP", nil
	case written > 0:
		return fmt.Sprintf("was written to after it was restored (%d rows inserted, updated or deleted)", written), nil
	case customers != t.customers || orders != t.orders:
		return fmt.Sprintf("holds %d customers and %d orders, not the %d and %d of the moment before the DROP",
			customers.rows, orders.rows, t.customers.rows, t.orders.rows), nil
	}
	return "", nil
}
