//go:build ignore

// Wrong: the right target, but the newest backup, which was taken after
// the DROP: a backup cannot go back before its own moment, and the vault
// says so.
//
//dblings:answer failed over=solution assertion="Restore brings back a restored server" says="the base backup was taken later"
package backuprestore

import (
	"context"
	"time"

	"github.com/dblings/dblings/checker/vault"
)

func newestBefore(ctx context.Context, v *vault.Client, target time.Time) (vault.Backup, error) {
	backups, err := v.Backups(ctx)
	if err != nil {
		return vault.Backup{}, err
	}
	return backups[len(backups)-1], nil
}
