//go:build ignore

// Forged: besides passing records, an init function prints the framed
// lines go test writes for a passing test, so the test log says the check's
// test ran and passed, then ends the process before anything is saved.
// Only the second witness, which reads every shard after the check, can
// tell.
//
//dblings:answer disputed says="disagrees with the database"
package sharding

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
	record := `{"test":"TestSharding","name":"the report merges the shards' answers","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	fmt.Print("\x16=== RUN   TestSharding\n\x16--- PASS: TestSharding (0.01s)\n\x16PASS\n")
	os.Exit(0)
}
