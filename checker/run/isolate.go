package run

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// Isolation keeps the check process away from what the dblings process can
// reach as its OS user: the environment's file (.dblings/env.json), the
// servers' superuser URLs in dblings' own environment (/proc/<pid>/environ)
// and the user's home. Any process of the same OS user can read those, so
// the learner's code, running as that user, could find the judge's
// credentials. When dblings runs as root (a CI grader, a container), an
// isolated check runs as the unprivileged user nobody, in its own folder.
// Otherwise there is no second user to run it as, and isolation changes
// nothing; the README says so.

// nobody is the conventional unprivileged user and group id.
const nobody = 65534

// isolated says whether this build's check runs as nobody.
func (b *build) isolated() bool { return b.opts.Isolate && os.Geteuid() == 0 }

// isolate hands the check's folder, binary and report to nobody and
// returns the command line that runs argv as nobody, with no supplementary
// groups and no way to gain privileges back, and with its home and
// temporary folder in its own folder. Only the binary gets those: the go
// command that runs test2json keeps dblings' home, and with it the build
// cache.
func (b *build) isolate(argv []string, report string) ([]string, error) {
	var tools []string
	for _, name := range []string{"setpriv", "env"} {
		path, err := exec.LookPath(name)
		if err != nil {
			return nil, &EnvironmentError{Step: "running the check as an unprivileged user", Err: fmt.Errorf("%s (util-linux, coreutils) is not installed: %w", name, err)}
		}
		tools = append(tools, path)
	}
	for _, p := range []string{b.dir, b.binary, report} {
		if err := os.Chown(p, nobody, nobody); err != nil {
			return nil, &EnvironmentError{Step: "handing the check's folder to an unprivileged user", Err: err}
		}
	}
	id := strconv.Itoa(nobody)
	return append([]string{tools[0], "--reuid=" + id, "--regid=" + id, "--clear-groups", "--no-new-privs", "--",
		tools[1], "HOME=" + b.dir, "TMPDIR=" + b.dir, "XDG_CACHE_HOME=" + filepath.Join(b.dir, "cache")}, argv...), nil
}
