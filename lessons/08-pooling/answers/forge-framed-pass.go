//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process. Only the second witness,
// which reads the users and counts the database's transactions after the
// check, can tell: no request reached the database, no e-mail changed.
//
//dblings:answer disputed says="disagrees with the database"
package pooling

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
	record := `{"test":"TestPooling","name":"never more connections than the pool's maximum","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestPooling\n\x16--- PASS: TestPooling (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
