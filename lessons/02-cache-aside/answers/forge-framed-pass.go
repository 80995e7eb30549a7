//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process. Only the second witness,
// which reads Redis and the users table itself after the check, can tell:
// Redis holds no key and no user was renamed.
//
//dblings:answer disputed says="disagrees with the database"
package cacheaside

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
	record := `{"test":"TestCacheAside","name":"a hit makes no Postgres query","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestCacheAside\n\x16--- PASS: TestCacheAside (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
