//go:build ignore

// Forged: besides a passing record, an init function prints the framed
// lines go test writes for a passing test, so the test log says the
// check's test ran and passed, then ends the process. Only the second
// witness, which finds no restored server at all, can tell.
//
//dblings:answer disputed says="disagrees with the database"
package backuprestore

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
	record := `{"test":"TestBackupRestore","name":"the dropped table is back","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestBackupRestore\n\x16--- PASS: TestBackupRestore (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
