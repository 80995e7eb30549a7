//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process. Only the second witness,
// which counts the row updates on accounts after the check, can tell: no
// transfer ever reached the table.
//
//dblings:answer disputed says="disagrees with the database"
package transactions

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
	record := `{"test":"TestTransactions","name":"two transfers race for one balance","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestTransactions\n\x16--- PASS: TestTransactions (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
