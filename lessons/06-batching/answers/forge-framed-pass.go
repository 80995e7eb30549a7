//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process. Only the second witness,
// which compares the catalog after the check with what it held before, can
// tell: the feed never reached it.
//
//dblings:answer disputed says="disagrees with the database"
package batching

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
	record := `{"test":"TestBatching","name":"few round trips","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestBatching\n\x16--- PASS: TestBatching (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
