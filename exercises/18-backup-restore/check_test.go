//go:build dblings

package backuprestore

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker/vault"
	"github.com/dblings/dblings/lessons/18-backup-restore/check"
)

// The check itself is lessons/18-backup-restore/check; this file hands it your code.
func TestBackupRestore(t *testing.T) {
	check.Run(t, func(ctx context.Context, shop *pgxpool.Pool, v *vault.Client) (check.Recovery, error) {
		r, err := Restore(ctx, shop, v)
		return check.Recovery(r), err
	})
}
