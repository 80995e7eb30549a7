package cli

import "github.com/spf13/cobra"

func newEnvCmd(f *Factory) *cobra.Command    { return &cobra.Command{Use: "env"} }
func newDoctorCmd(f *Factory) *cobra.Command { return &cobra.Command{Use: "doctor"} }
func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{Use: "version"}
}
