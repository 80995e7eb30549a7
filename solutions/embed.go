// Package solutions holds the reference solution of every lesson, one folder
// per lesson with the same file and package names as the stub in exercises/,
// and, in this file, their copy built into the dblings binary.
//
// "dblings solution" prints from the copy, and "dblings verify" lays it over
// the stubs to prove that every solution passes its check.
package solutions

import (
	"embed"
	"io/fs"
)

// Only the lesson folders' Go files: a folder being written may hold
// nothing else yet, and the runner and reset need nothing else.
//
//go:embed */*.go
var reference embed.FS

// FS is the reference solutions tree: <lesson dir>/<file>.go.
func FS() fs.FS { return reference }
