//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process before any migration runs.
// Only the second witness can tell: it finds no foreign keys in
// pg_constraint and no goose_db_version after the check.
//
//dblings:answer disputed says="disagrees with the database"
package migrations

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
	record := `{"test":"TestMigrations","name":"down undoes up","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestMigrations\n\x16--- PASS: TestMigrations (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
