package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"time"

	"github.com/shirou/gopsutil/v4/process"
)

// owner identifies the process that started servers. A pid alone is not
// enough: after a crash the pid may be reused, so the start time is kept too.
type owner struct {
	PID     int    `json:"pid"`
	Started int64  `json:"started"` // process creation time, ms since the epoch
	Host    string `json:"host"`
}

// self is the owner record of the running process.
func self() owner {
	host, _ := os.Hostname()
	o := owner{PID: os.Getpid(), Host: host}
	if p, err := process.NewProcess(int32(o.PID)); err == nil {
		o.Started, _ = p.CreateTime()
	}
	return o
}

// alive reports whether the owning process still runs. An owner from another
// host is assumed alive: we cannot see its processes, so we leave its
// servers alone.
func (o owner) alive() bool {
	if host, _ := os.Hostname(); o.Host != host {
		return true
	}
	p, err := process.NewProcess(int32(o.PID))
	if err != nil {
		return false
	}
	started, err := p.CreateTime()
	return err == nil && started == o.Started
}

func (o owner) labels() map[string]string {
	return map[string]string{
		labelOwnerPID:     strconv.Itoa(o.PID),
		labelOwnerStarted: strconv.FormatInt(o.Started, 10),
		labelOwnerHost:    o.Host,
		labelCreated:      time.Now().UTC().Format(time.RFC3339),
	}
}

func ownerFromLabels(l map[string]string) owner {
	pid, _ := strconv.Atoi(l[labelOwnerPID])
	started, _ := strconv.ParseInt(l[labelOwnerStarted], 10, 64)
	return owner{PID: pid, Started: started, Host: l[labelOwnerHost]}
}

// Labels put on every container, so stale ones can be found and removed.
const (
	Label             = "dblings"
	labelOwnerPID     = "dblings.owner.pid"
	labelOwnerStarted = "dblings.owner.started"
	labelOwnerHost    = "dblings.owner.host"
	labelCreated      = "dblings.created"
)

// randomPassword returns a fresh password for one environment.
func randomPassword() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// processRunning reports whether pid names a live, non-zombie process.
func processRunning(pid int) bool {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return false
	}
	status, err := p.Status()
	if err != nil {
		return false
	}
	for _, s := range status {
		if s == process.Zombie {
			return false
		}
	}
	return true
}
