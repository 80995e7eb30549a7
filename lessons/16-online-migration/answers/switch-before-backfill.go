//go:build ignore

// Wrong: the application switches to amount_cents as soon as the column
// exists. The rows the backfill has not reached yet read NULL.
//
//dblings:answer failed over=solution assertion="no failed request" says="amount_cents is NULL"
package onlinemigration

func Migration() []Step {
	return []Step{
		{Name: "expand", Run: expand},
		{Name: "switch to cents", Deploy: UsesCents},
		{Name: "backfill", Run: backfill},
		{Name: "index", Run: index},
		{Name: "contract", Run: contract},
	}
}
