// Package witnesses maps each lesson to its second witness, declared in
// the lesson's own folder (lessons/NN-id/witness.go). A new lesson adds
// its line here; the catalog's content test fails until it does.
package witnesses

import (
	explainindex "github.com/dblings/dblings/lessons/01-explain-index"
	cacheaside "github.com/dblings/dblings/lessons/02-cache-aside"
	pagination "github.com/dblings/dblings/lessons/03-cursor-pagination"
	optimisticlocking "github.com/dblings/dblings/lessons/04-optimistic-locking"
	sharding "github.com/dblings/dblings/lessons/05-sharding"
	batching "github.com/dblings/dblings/lessons/06-batching"
	nplusone "github.com/dblings/dblings/lessons/07-n-plus-one"
	pooling "github.com/dblings/dblings/lessons/08-pooling"
	transactions "github.com/dblings/dblings/lessons/09-transactions"
	aggregation "github.com/dblings/dblings/lessons/10-aggregation"
	softdeleteaudit "github.com/dblings/dblings/lessons/11-soft-delete-audit"
	materializedviews "github.com/dblings/dblings/lessons/12-materialized-views"
	indextypes "github.com/dblings/dblings/lessons/13-index-types"
	migrations "github.com/dblings/dblings/lessons/14-migrations"
	replicas "github.com/dblings/dblings/lessons/15-replicas"
	onlinemigration "github.com/dblings/dblings/lessons/16-online-migration"
	observability "github.com/dblings/dblings/lessons/17-observability"
	backuprestore "github.com/dblings/dblings/lessons/18-backup-restore"
	"github.com/dblings/dblings/witness"
)

// For returns the witness of the lesson with the given id.
func For(id string) (witness.Witness, bool) {
	w, ok := map[string]witness.Witness{
		"explain-index":      explainindex.Witness,
		"cache-aside":        cacheaside.Witness,
		"cursor-pagination":  pagination.Witness,
		"optimistic-locking": optimisticlocking.Witness,
		"sharding":           sharding.Witness,
		"batching":           batching.Witness,
		"n-plus-one":         nplusone.Witness,
		"pooling":            pooling.Witness,
		"transactions":       transactions.Witness,
		"aggregation":        aggregation.Witness,
		"soft-delete-audit":  softdeleteaudit.Witness,
		"materialized-views": materializedviews.Witness,
		"index-types":        indextypes.Witness,
		"migrations":         migrations.Witness,
		"replicas":           replicas.Witness,
		"online-migration":   onlinemigration.Witness,
		"observability":      observability.Witness,
		"backup-restore":     backuprestore.Witness,
	}[id]
	return w, ok
}
