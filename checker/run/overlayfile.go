package run

import (
	"io/fs"

	"github.com/dblings/dblings/lessons"
)

// WriteOverlay writes into dir the go build -overlay file a check of l in
// workspace compiles with (the learner's files, the pristine check and the
// pristine packages it imports, from source) and returns its path, so that
// other go commands (dblings prepare --check asks go list) see the build a
// check would make.
func WriteOverlay(dir, workspace string, l lessons.Lesson, source fs.FS) (string, error) {
	ov, err := planOverlay(workspace, l, Learner, source, nil)
	if err != nil {
		return "", err
	}
	file, _, err := ov.write(dir)
	return file, err
}
