package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/dblings/dblings/internal/owner"
)

// A kept environment is started by "dblings env up" and owned by a
// background keeper process; later commands in the same workspace reuse it.
// Its record lives in <workspace>/.dblings/env.json.

// KeptRecord is the content of env.json.
type KeptRecord struct {
	Env
	Owner     owner.Owner `json:"owner"`
	StartedAt time.Time   `json:"started_at"`
}

// ErrNoKept means no live kept environment belongs to the workspace.
var ErrNoKept = errors.New("no environment kept by \"dblings env up\" in this workspace")

// KeptPath is where the record of the workspace's kept environment lives.
func KeptPath(workspace string) string { return filepath.Join(workspace, ".dblings", "env.json") }

// SaveKept records env as kept by the calling process.
func SaveKept(workspace string, env *Env) error {
	rec := KeptRecord{Env: *env, Owner: owner.Self(), StartedAt: time.Now()}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	path := KeptPath(workspace)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil { // it holds passwords
		return err
	}
	return os.Rename(tmp, path)
}

// RemoveKept deletes the record (the keeper calls it as it stops).
func RemoveKept(workspace string) error {
	err := os.Remove(KeptPath(workspace))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// ReadKept reads the record without checking the servers.
func ReadKept(workspace string) (*KeptRecord, error) {
	b, err := os.ReadFile(KeptPath(workspace))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoKept
	}
	if err != nil {
		return nil, err
	}
	var rec KeptRecord
	if err := json.Unmarshal(b, &rec); err != nil || len(rec.Postgres) == 0 {
		return nil, fmt.Errorf("%s is damaged; run \"dblings env down\" and \"dblings env up\" again", KeptPath(workspace))
	}
	return &rec, nil
}

// OwnerAlive reports whether the keeper process still runs.
func (r *KeptRecord) OwnerAlive() bool { return r.Owner.Alive() }

// OwnerPID is the keeper's process id.
func (r *KeptRecord) OwnerPID() int { return r.Owner.PID }

// LoadKept returns the workspace's kept environment if its keeper is alive
// and every server answers. A record whose keeper is gone is removed.
func LoadKept(ctx context.Context, workspace string) (*Env, error) {
	rec, err := ReadKept(workspace)
	if err != nil {
		return nil, err
	}
	if !rec.Owner.Alive() {
		_ = RemoveKept(workspace)
		return nil, ErrNoKept
	}
	if err := rec.Env.Ping(ctx); err != nil {
		return nil, fmt.Errorf("the kept environment does not answer: %w", err)
	}
	env := rec.Env
	env.Kept = true
	return &env, nil
}

// Ping checks every server of the environment at once.
func (e *Env) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	servers := slices.Clone(e.Postgres)
	for _, s := range []*Server{e.Replica, e.Archived} {
		if s != nil {
			servers = append(servers, *s)
		}
	}
	errs := make([]error, len(servers)+1)
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = pingPostgres(ctx, s.URL) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); _, errs[len(errs)-1] = pingRedis(ctx, e.Redis.URL) }()
	wg.Wait()
	return errors.Join(errs...)
}

// Keepers lists the pids of the live processes on this machine that keep
// an environment for the workspace. They are found through env.json, and
// without it through what their environments carry: the workspace label
// on containers, the owner file of local servers, the marker of an
// external environment. More than one, or one without env.json, is an
// orphan that "env up" replaces and "env down" stops.
func Keepers(ctx context.Context, workspace string) []int {
	var pids []int
	for _, o := range keepers(ctx, workspace) {
		pids = append(pids, o.PID)
	}
	return pids
}

func keepers(ctx context.Context, workspace string) []owner.Owner {
	var found []owner.Owner
	if rec, err := ReadKept(workspace); err == nil && rec.Owner.Alive() {
		found = append(found, rec.Owner)
	}
	found = append(found, localKeepers(workspace)...)
	if DockerAvailable(ctx) == nil {
		if owners, err := dockerKeepers(ctx, workspace); err == nil {
			found = append(found, owners...)
		}
	}
	var unique []owner.Owner
	for _, o := range found {
		// Another host's keeper cannot be signalled from here.
		if o.Here() && !slices.Contains(unique, o) {
			unique = append(unique, o)
		}
	}
	return unique
}

// StopKept stops every keeper of the workspace (see Keepers) and waits
// until they have removed their servers; a keeper that does not stop in
// time is killed, and the reapers remove what it left. With neither a
// record nor a keeper it returns ErrNoKept.
func StopKept(ctx context.Context, workspace string) error {
	found := keepers(ctx, workspace)
	if _, err := ReadKept(workspace); errors.Is(err, ErrNoKept) && len(found) == 0 {
		return ErrNoKept
	}
	stopOwners(found, 30*time.Second)
	_ = RemoveKept(workspace)
	return Reap(ctx)
}

// stopOwners sends SIGTERM to each owner, waits up to grace for all of
// them to exit, then kills those still running.
func stopOwners(owners []owner.Owner, grace time.Duration) {
	for _, o := range owners {
		_ = syscall.Kill(o.PID, syscall.SIGTERM)
	}
	deadline := time.Now().Add(grace)
	for anyAlive(owners) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, o := range owners {
		if o.Alive() {
			_ = syscall.Kill(o.PID, syscall.SIGKILL)
		}
	}
	for i := 0; anyAlive(owners) && i < 40; i++ {
		time.Sleep(50 * time.Millisecond)
	}
}

func anyAlive(owners []owner.Owner) bool {
	return slices.ContainsFunc(owners, owner.Owner.Alive)
}

// Reap removes whatever dead dblings processes left behind: containers and
// local server directories. A Docker engine that does not answer is skipped.
func Reap(ctx context.Context) error {
	reapLocal()
	if DockerAvailable(ctx) != nil {
		return nil
	}
	return ReapDocker(ctx)
}
