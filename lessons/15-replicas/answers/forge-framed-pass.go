//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process. Only the second witness,
// which reads the database's own counters after the check, can tell:
// no page was read on either server and no comment was written.
//
//dblings:answer disputed says="disagrees with the database"
package replicas

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
	record := `{"test":"TestReplicas","name":"reads served by the replica","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestReplicas\n\x16--- PASS: TestReplicas (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
