//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process. Only the second witness can
// tell: the check never reached its end, so it kept no report in the
// database to compare with dblings' own sums.
//
//dblings:answer disputed says="disagrees with the database"
package aggregation

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
	record := `{"test":"TestAggregation","name":"no more rows than the result","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestAggregation\n\x16--- PASS: TestAggregation (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
