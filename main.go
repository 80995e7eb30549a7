// Command dblings is a terminal lab for production database patterns.
package main

import (
	"embed"
	"os"

	"github.com/dblings/dblings/internal/cli"
)

// source is the pristine tree every lesson is built from: the lessons
// (manifests, texts, hints, answers), their stubs and checks, the reference
// solutions, and the packages checks import. Checks are compiled from these
// copies laid over the learner's workspace, so editing a check or the
// checker in a checkout changes no verdict; reset and solution read them too.
//
//go:embed go.mod lessons exercises solutions checker fixtures
var source embed.FS

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.StandardIO(), source))
}
