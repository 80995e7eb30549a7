//go:build ignore

// Right, differently: the oldest backup, the nightly one. It reaches the
// same target; the restore replays more WAL, so its RTO is longer.
//
//dblings:answer passed over=solution
package backuprestore

import (
	"context"
	"errors"
	"time"

	"github.com/dblings/dblings/checker/vault"
)

func newestBefore(ctx context.Context, v *vault.Client, target time.Time) (vault.Backup, error) {
	backups, err := v.Backups(ctx)
	if err != nil {
		return vault.Backup{}, err
	}
	oldest := backups[0]
	for _, b := range backups {
		if b.TakenAt.Before(oldest.TakenAt) {
			oldest = b
		}
	}
	if !oldest.TakenAt.Before(target) {
		return vault.Backup{}, errors.New("no backup before the target")
	}
	return oldest, nil
}
