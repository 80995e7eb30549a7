//go:build ignore

// Forged: Migrate, called by the running test, writes passing records and
// leaves with syscall.Exit, which -test.paniconexit0 does not see. The
// test never reaches its end, so the check is no pass.
//
//dblings:answer failed assertion="every test of the check ran" says="never ran to the end"
package explainindex

import (
	"context"
	"encoding/json"
	"os"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	var given struct{ Report string }
	if json.Unmarshal([]byte(os.Getenv("DBLINGS_CHECK")), &given) == nil && given.Report != "" {
		f, _ := os.OpenFile(given.Report, os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString(`{"test":"TestExplainIndex","name":"faster than the table scan","ok":true,"message":"trust me"}` + "\n")
		f.Close()
	}
	syscall.Exit(0)
	return nil
}
