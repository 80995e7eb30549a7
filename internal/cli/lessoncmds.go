package cli

import "github.com/spf13/cobra"

// addLessonCommands adds list, check, hint, reset, solution, grade and verify.
func addLessonCommands(root *cobra.Command, f *Factory) {}
