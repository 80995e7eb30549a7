package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/dblings/dblings/internal/owner"
)

// ownerLabels are the labels that say who started a container, and for a
// kept environment which workspace it serves (so "env down" finds its
// keeper even when the workspace's env.json is gone).
func ownerLabels(o owner.Owner, workspace string) map[string]string {
	l := map[string]string{
		labelOwnerPID:     strconv.Itoa(o.PID),
		labelOwnerStarted: strconv.FormatInt(o.Started, 10),
		labelOwnerHost:    o.Host,
		labelCreated:      time.Now().UTC().Format(time.RFC3339),
	}
	if workspace != "" {
		l[LabelWorkspace] = workspace
	}
	return l
}

func ownerFromLabels(l map[string]string) owner.Owner {
	pid, _ := strconv.Atoi(l[labelOwnerPID])
	started, _ := strconv.ParseInt(l[labelOwnerStarted], 10, 64)
	return owner.Owner{PID: pid, Started: started, Host: l[labelOwnerHost]}
}

// Labels put on every container, so stale ones can be found and removed.
const (
	Label             = "dblings"
	labelOwnerPID     = "dblings.owner.pid"
	labelOwnerStarted = "dblings.owner.started"
	labelOwnerHost    = "dblings.owner.host"
	labelCreated      = "dblings.created"
	// LabelWorkspace holds the workspace of a kept environment's containers.
	LabelWorkspace = "dblings.workspace"
)

// randomPassword returns a fresh password for one environment.
func randomPassword() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
