//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process. Only the second witness,
// which plans the feed's pages itself after the check, can tell: no index
// serves them.
//
//dblings:answer disputed says="disagrees with the database"
package pagination

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
	record := `{"test":"TestCursorPagination","name":"page 10,000 reads only its own rows","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestCursorPagination\n\x16--- PASS: TestCursorPagination (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
