//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process. Only the second witness,
// which looks at the schema and tries it out itself after the check, can
// tell: members has no deleted_at, no trigger writes the audit, and the
// audit can be rewritten.
//
//dblings:answer disputed says="disagrees with the database"
package softdeleteaudit

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
	record := `{"test":"TestSoftDeleteAudit","name":"soft delete keeps the row","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestSoftDeleteAudit\n\x16--- PASS: TestSoftDeleteAudit (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
