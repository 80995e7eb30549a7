//go:build ignore

// Wrong: a target a second before the DROP, "to be safe". The shop
// committed orders in that second, and they are gone.
//
//dblings:answer failed over=solution assertion="every order placed before the DROP" says="stopped too early"
package backuprestore

import "time"

func justBefore(t time.Time) time.Time { return t.Add(-time.Second) }
