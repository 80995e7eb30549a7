package run

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shirou/gopsutil/v4/process"
)

// sweepRounds bounds how often sweep looks again: a process may start a
// child while it is being killed.
const sweepRounds = 10

// sweep kills every process that belongs to a check folder match accepts,
// and looks again until none is left. A process group or a session of its
// own (setsid) does not hide a process: it still carries envRunDir.
func sweep(match func(dir string) bool) {
	for range sweepRounds {
		pids := checkProcesses(match)
		if len(pids) == 0 {
			return
		}
		for _, pid := range pids {
			killProcess(pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkProcesses lists the processes, other than this one, whose check
// folder match accepts.
func checkProcesses(match func(dir string) bool) []int {
	pids, err := process.Pids()
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var found []int
	for _, pid := range pids {
		if int(pid) == self {
			continue
		}
		p, err := process.NewProcess(pid)
		if err != nil {
			continue // gone meanwhile
		}
		if dir, ok := processCheckDir(p); ok && match(dir) {
			found = append(found, int(pid))
		}
	}
	return found
}

// processCheckDir reads a process's check folder from envRunDir in its
// environment (Linux lets a process's user read it). Where the environment
// cannot be read (macOS shows no other process's), it looks for a path into
// the folder on the command line, where go test -c, test2json and the check
// binary all name it. An exited process that was not yet waited for shows
// neither, and is left alone.
func processCheckDir(p *process.Process) (string, bool) {
	if env, err := p.Environ(); err == nil {
		for _, kv := range env {
			if dir, ok := strings.CutPrefix(kv, envRunDir+"="); ok {
				return dir, true
			}
		}
		return "", false
	}
	args, err := p.CmdlineSlice()
	if err != nil {
		return "", false
	}
	for _, arg := range args {
		if dir, ok := checkDirIn(arg); ok {
			return dir, true
		}
	}
	return "", false
}

// checkDirIn finds the check folder in an absolute path that lies inside
// one, such as /tmp/dblings-check-…/check.test.
func checkDirIn(arg string) (string, bool) {
	marker := string(filepath.Separator) + checkDirPrefix
	i := strings.Index(arg, marker)
	if i < 0 || !filepath.IsAbs(arg) {
		return "", false
	}
	rest := arg[i+len(marker):]
	if end := strings.IndexRune(rest, filepath.Separator); end >= 0 {
		return arg[:i+len(marker)+end], true
	}
	return arg, true
}
