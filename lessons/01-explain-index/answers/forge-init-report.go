//go:build ignore

// Forged: an init function writes passing records into the check's report
// and ends the process before any test runs. The runner knows from the
// pristine check which tests must run, so a report without them is no pass.
//
//dblings:answer failed assertion="every test of the check ran" says="never ran to the end"
package explainindex

import (
	"encoding/json"
	"os"
)

func init() {
	var given struct{ Report string }
	if json.Unmarshal([]byte(os.Getenv("DBLINGS_CHECK")), &given) != nil || given.Report == "" {
		return
	}
	record := `{"test":"TestExplainIndex","name":"no Seq Scan on posts","ok":true,"message":"trust me"}` + "\n"
	os.WriteFile(given.Report, []byte(record), 0o644)
	os.Exit(0)
}
