//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process. Only the second witness,
// which finds no planted traffic in pg_stat_statements, can tell.
//
//dblings:answer disputed says="disagrees with the database"
package observability

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
	record := `{"test":"TestObservability","name":"top statements by total time","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestObservability\n\x16--- PASS: TestObservability (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
