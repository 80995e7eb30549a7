// Package exercises holds one Go package per lesson (the stub a learner edits
// and its check_test.go) and, in this file, the pristine copy of all of them
// built into the dblings binary.
//
// The copy is what "dblings reset" restores and what the runner lays over
// the workspace, so a learner's edits never change what a check checks.
package exercises

import (
	"embed"
	"io/fs"
)

// Only the lesson folders' Go files: a folder being written may hold
// nothing else yet, and the runner and reset need nothing else.
//
//go:embed */*.go
var pristine embed.FS

// FS is the pristine exercises tree: <lesson dir>/<file>.go, exactly as
// shipped.
func FS() fs.FS { return pristine }
