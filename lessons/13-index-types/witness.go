// Package indextypes is lesson 13's second witness: what dblings
// re-reads from the database after the check, outside the check's process.
package indextypes

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/witness"
)

// snapshot is the witness's own copy of the rows it watches.
const snapshot = `SELECT * FROM sessions`

// Witness looks at the fresh database before the check runs and returns
// what judges it afterwards. A check passes only when its own report and
// these facts agree.
//
// TODO(author): replace the example with the lesson's decisive facts, the
// ones a learner's process cannot fake by writing the check's report:
// plans dblings runs itself, the catalog (witness.ReadCatalog), table
// statistics (witness.ReadTableStats), the final rows (witness.ReadDigest),
// Redis keys (s.RedisClient()). Each must hold for every right answer.
func Witness(ctx context.Context, s *witness.Scene) (witness.Judge, error) {
	var before witness.Digest
	err := s.With(ctx, 0, func(conn *pgx.Conn) (err error) {
		before, err = witness.ReadDigest(ctx, conn, snapshot)
		return err
	})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) ([]witness.Fact, error) {
		var after witness.Digest
		err := s.With(ctx, 0, func(conn *pgx.Conn) (err error) {
			after, err = witness.ReadDigest(ctx, conn, snapshot)
			return err
		})
		return []witness.Fact{witness.Holds("database: the data is unchanged", after == before,
			"counting left every row as it was",
			"the rows changed during the check: counting only reads")}, err
	}, nil
}
