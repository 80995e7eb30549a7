//go:build ignore

// Wrong: the index step was left out. Everything else is right, and the
// queries of the new version that look payments up by amount have nothing
// to use.
//
//dblings:answer failed over=solution assertion="the final schema" says="no valid index leads with amount_cents"
package onlinemigration

func Migration() []Step {
	return []Step{
		{Name: "expand", Run: expand},
		{Name: "backfill", Run: backfill},
		{Name: "switch to cents", Deploy: UsesCents},
		{Name: "contract", Run: contract},
	}
}
