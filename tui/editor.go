package tui

import (
	"os/exec"
	"strings"
)

// editorCommand is the command that opens path in the learner's editor:
// $VISUAL, else $EDITOR, as other terminal tools choose. The variable may
// carry arguments ("code --wait"), split on spaces as git does for a
// plain value. ok is false when neither is set.
func editorCommand(getenv func(string) string, path string) (cmd *exec.Cmd, ok bool) {
	for _, name := range []string{"VISUAL", "EDITOR"} {
		if fields := strings.Fields(getenv(name)); len(fields) > 0 {
			return exec.Command(fields[0], append(fields[1:], path)...), true
		}
	}
	return nil, false
}
