//go:build ignore

// Forged: besides a passing record, an init function prints the framed
// lines go test writes for a passing test, so the test log says the
// check's test ran and passed, then ends the process before any step
// runs. Only the second witness can tell: amount is still there, the
// application never ran (no traffic.writes, no request in
// pg_stat_statements).
//
//dblings:answer disputed says="disagrees with the database"
package onlinemigration

import (
	"encoding/json"
	"fmt"
	"os"
)

func init() {
	var given struct{ Report string }
	if json.Unmarshal([]byte(os.Getenv("DBLINGS_CHECK")), &given) != nil || given.Report == "" {
		return
	}
	record := `{"test":"TestOnlineMigration","name":"no request waits on a lock","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestOnlineMigration\n\x16--- PASS: TestOnlineMigration (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
