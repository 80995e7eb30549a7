//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process before any deposit is made.
// Only the second witness, which reads the accounts after the check, can
// tell.
//
//dblings:answer disputed says="disagrees with the database"
package optimisticlocking

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
	record := `{"test":"TestOptimisticLocking","name":"no lost update","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestOptimisticLocking\n\x16--- PASS: TestOptimisticLocking (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
