//go:build ignore

// Wrong: the right backup, recovered to "now", the latest state the
// archive holds. Recovery replays the DROP with everything else.
//
//dblings:answer failed over=solution assertion="the dropped table is back" says="replayed the DROP"
package backuprestore

import "time"

func justBefore(time.Time) time.Time { return time.Now() }
