// Command dblings is a terminal lab for production database patterns.
package main

import (
	"os"

	"github.com/dblings/dblings/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.StandardIO()))
}
