//go:build ignore

// Forged: an init function writes passing records into the report, prints
// the framed lines go test writes for a passing test, and exits before the
// check has run at all. The test log looks like a pass; the second
// witness, which reads the catalog, plans its own lookup and expiry job
// and counts the sessions afterwards, finds no index and no session
// expired.
//
//dblings:answer disputed says="disagrees with the database"
package indextypes

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
	record := `{"test":"TestIndexTypes","name":"search uses a full-text index","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestIndexTypes\n\x16--- PASS: TestIndexTypes (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
