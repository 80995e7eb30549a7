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

// The pattern takes whole lesson folders, not just */*.go: it must match
// something even in a checkout with no lessons yet, and FS readers only look
// at <lesson dir>/*.go anyway.
//
//go:embed *
var pristine embed.FS

// FS is the pristine exercises tree: <lesson dir>/<file>.go, exactly as
// shipped.
func FS() fs.FS { return pristine }
