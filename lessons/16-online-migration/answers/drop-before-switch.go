//go:build ignore

// Wrong: the contract runs before the application is switched to cents.
// The version still running reads amount, which is gone: its requests
// fail until the deploy.
//
//dblings:answer failed over=solution assertion="no failed request" says=`column "amount"`
package onlinemigration

func Migration() []Step {
	return []Step{
		{Name: "expand", Run: expand},
		{Name: "backfill", Run: backfill},
		{Name: "index", Run: index},
		{Name: "contract", Run: contract},
		{Name: "switch to cents", Deploy: UsesCents},
	}
}
