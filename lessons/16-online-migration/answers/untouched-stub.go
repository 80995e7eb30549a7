//go:build ignore

// Wrong: the stub as shipped. Its one transaction takes the table with
// ACCESS EXCLUSIVE behind the report, then updates every payment and
// builds an index while holding it: every request of the application
// queues for seconds.
//
//dblings:answer failed assertion="no request waits on a lock" says="waited"
package onlinemigration
