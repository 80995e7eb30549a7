// Package owner names the process that made something (servers, a check's
// folder, a clone database), so that whoever finds it later can tell
// whether its maker still runs, and remove it when it does not.
//
// A pid alone is not enough: after a crash the pid may be reused, so the
// process's start time is kept beside it. An owner on another host cannot
// be looked at and counts as alive.
package owner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/shirou/gopsutil/v4/process"
)

// Owner identifies one process on one host.
type Owner struct {
	PID     int    `json:"pid"`
	Started int64  `json:"started"` // process creation time, ms since the epoch
	Host    string `json:"host"`
}

// Self is the owner record of the running process.
func Self() Owner { return Of(os.Getpid()) }

// Of is the owner record of a running process on this host; Started is 0
// when the process cannot be looked at (it is already gone).
func Of(pid int) Owner {
	o := Owner{PID: pid, Host: hostname()}
	if p, err := process.NewProcess(int32(pid)); err == nil {
		o.Started, _ = p.CreateTime()
	}
	return o
}

// Alive reports whether the owning process still runs: same pid, same start
// time, and not a zombie. An owner from another host is assumed alive.
func (o Owner) Alive() bool {
	if o.Host != hostname() {
		return true
	}
	if o.PID <= 0 {
		return false
	}
	p, err := process.NewProcess(int32(o.PID))
	if err != nil {
		return false
	}
	started, err := p.CreateTime()
	if err != nil || started != o.Started {
		return false
	}
	return !zombie(p)
}

// Here reports whether the owner runs on this host, where it can be
// looked at and signalled.
func (o Owner) Here() bool { return o.Host == hostname() }

// Running reports whether pid names a live process of this host, not a
// zombie, whatever it started as.
func Running(pid int) bool {
	p, err := process.NewProcess(int32(pid))
	return err == nil && !zombie(p)
}

// zombie reports a process that has exited but was not waited for: it holds
// nothing any more.
func zombie(p *process.Process) bool {
	status, err := p.Status()
	if err != nil {
		return false
	}
	for _, s := range status {
		if s == process.Zombie {
			return true
		}
	}
	return false
}

// Tag writes the owner into a file name: "<pid>-<started>", both in base
// 36 to keep paths short (a Unix socket path may not exceed 104 bytes on
// macOS). The host is left out: such names live in this host's temporary
// folder.
func (o Owner) Tag() string {
	return strconv.FormatInt(int64(o.PID), 36) + "-" + strconv.FormatInt(o.Started, 36)
}

// ParseTag reads a Tag back at the start of s ("<pid>-<started>", then
// anything after another "-"); the owner is on this host.
func ParseTag(s string) (Owner, bool) {
	parts := strings.SplitN(s, "-", 3)
	if len(parts) < 2 {
		return Owner{}, false
	}
	pid, err1 := strconv.ParseInt(parts[0], 36, 64)
	started, err2 := strconv.ParseInt(parts[1], 36, 64)
	if err1 != nil || err2 != nil || pid <= 0 || started <= 0 {
		return Owner{}, false
	}
	return Owner{PID: int(pid), Started: started, Host: hostname()}, true
}

// Short codes for names that must stay short (Postgres cuts names at 63
// bytes): an 8-hex hash of the host (hosts sharing a server must not be
// taken for each other), the pid in 5 base-36 digits and the start time in
// 9, 22 characters in all.
const (
	shortHost    = 8
	shortPID     = 5
	shortStarted = 9
	// ShortLen is the length of Short's result.
	ShortLen = shortHost + shortPID + shortStarted
)

// Short writes the owner, host included, in ShortLen lower-case letters and
// digits, for database names.
func (o Owner) Short() string {
	return hostHash(o.Host) + pad36(int64(o.PID), shortPID) + pad36(o.Started, shortStarted)
}

// ParseShort reads Short back. The host comes back as itself when the hash
// is this host's, and as "other host <hash>" otherwise, which Alive treats
// as alive.
func ParseShort(s string) (Owner, bool) {
	if len(s) != ShortLen {
		return Owner{}, false
	}
	pid, err1 := strconv.ParseInt(s[shortHost:shortHost+shortPID], 36, 64)
	started, err2 := strconv.ParseInt(s[shortHost+shortPID:], 36, 64)
	if err1 != nil || err2 != nil || pid <= 0 {
		return Owner{}, false
	}
	if _, err := hex.DecodeString(s[:shortHost]); err != nil {
		return Owner{}, false
	}
	host := hostname()
	if s[:shortHost] != hostHash(host) {
		host = "other host " + s[:shortHost]
	}
	return Owner{PID: int(pid), Started: started, Host: host}, true
}

func pad36(n int64, width int) string {
	s := strconv.FormatInt(n, 36)
	if len(s) > width { // cannot happen for real pids and times; keep the low digits
		s = s[len(s)-width:]
	}
	return strings.Repeat("0", width-len(s)) + s
}

func hostHash(host string) string {
	sum := sha256.Sum256([]byte(host))
	return hex.EncodeToString(sum[:])[:shortHost]
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

func (o Owner) String() string { return fmt.Sprintf("pid %d on %s", o.PID, o.Host) }
