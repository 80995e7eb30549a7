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

// The pattern takes whole lesson folders, not just */*.go: it must match
// something even in a checkout with no lessons yet.
//
//go:embed *
var reference embed.FS

// FS is the reference solutions tree: <lesson dir>/<file>.go.
func FS() fs.FS { return reference }
