package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dblings/dblings/internal/owner"
)

// localBinaries are the server programs the local provider runs.
type localBinaries struct {
	InitDB, Postgres, Redis string
}

// findLocalBinaries looks for initdb and postgres in PATH, then in the
// newest /usr/lib/postgresql/<major>/bin (Debian and Ubuntu keep them out of
// PATH), and for redis-server in PATH.
func findLocalBinaries() (localBinaries, error) {
	var b localBinaries
	var missing []string
	pgDirs := postgresBinDirs()
	b.InitDB = lookBinary("initdb", pgDirs)
	b.Postgres = lookBinary("postgres", pgDirs)
	b.Redis = lookBinary("redis-server", nil)
	if b.InitDB == "" || b.Postgres == "" {
		missing = append(missing, "PostgreSQL server binaries (initdb, postgres)")
	}
	if b.Redis == "" {
		missing = append(missing, "redis-server")
	}
	if len(missing) > 0 {
		return b, fmt.Errorf("not found: %s", strings.Join(missing, " and "))
	}
	return b, nil
}

// postgresBinDirs lists /usr/lib/postgresql/*/bin, newest major first.
func postgresBinDirs() []string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	major := func(d string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		return n
	}
	sort.Slice(dirs, func(i, j int) bool { return major(dirs[i]) > major(dirs[j]) })
	return dirs
}

// lookBinary prefers the versioned directories, so that initdb and postgres
// come from the same major version.
func lookBinary(name string, dirs []string) string {
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	return p
}

// localDirPrefix names the temporary directories of the local provider;
// the reaper looks for them. The owner's tag follows it
// (dblings-local-<pid>-<started>-<random>), so that a reaper running at
// the same moment knows a directory's owner from the instant it exists,
// before owner.json is written.
const localDirPrefix = "dblings-local-"

// localRecord is written to <dir>/owner.json: who owns the directory, the
// workspace of a kept environment, and which server processes run in it,
// so a later run can reap them and "env down" can find the keeper.
type localRecord struct {
	Owner     owner.Owner   `json:"owner"`
	Workspace string        `json:"workspace,omitempty"`
	Processes []owner.Owner `json:"processes"`
}

// localEnv is the running state of one local environment.
type localEnv struct {
	dir   string
	cred  *syscall.Credential
	mu    sync.Mutex // guards procs and rec
	procs []*exec.Cmd
	rec   localRecord
	// writing serialises writes of owner.json: servers start in parallel,
	// and each records itself.
	writing sync.Mutex
}

func startLocal(ctx context.Context, cfg Config) (*Env, error) {
	bins, err := findLocalBinaries()
	if err != nil {
		return nil, &StartError{Provider: Local, Server: "servers", Err: err}
	}
	reapLocal()
	le, err := newLocalEnv(localDirPrefix, cfg.Workspace)
	if err != nil {
		if le != nil {
			_ = le.stop(ctx)
		}
		return nil, &StartError{Provider: Local, Server: "servers", Err: err}
	}
	env := &Env{Provider: Local, Postgres: make([]Server, cfg.PostgresServers), stop: le.stop}
	password := randomPassword()

	var wg sync.WaitGroup
	var redisErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		env.Redis, redisErr = le.startRedis(ctx, bins.Redis, password)
	}()
	pgErr := le.startPostgres(ctx, cfg, bins, password, env)
	wg.Wait()
	if err := errors.Join(pgErr, redisErr); err != nil {
		return env, err
	}
	return env, nil
}

// startPostgres starts the environment's Postgres servers, the archiving
// server and the replica cfg asks for.
func (le *localEnv) startPostgres(ctx context.Context, cfg Config, bins localBinaries, password string, env *Env) error {
	servers := env.Postgres
	if cfg.Archive {
		servers = make([]Server, len(env.Postgres)+1)
	}
	if err := le.startPostgresServers(ctx, bins, password, servers, cfg.Archive); err != nil {
		return err
	}
	if cfg.Archive {
		copy(env.Postgres, servers)
		archived := servers[len(servers)-1]
		env.Archived = &archived
		env.Archive = filepath.Join(le.dir, "archive")
	}
	if !cfg.Replica {
		return nil
	}
	replica, err := le.startReplica(ctx, env.Postgres[0], replicationSlot())
	if err != nil {
		return &StartError{Provider: Local, Server: "replica", Err: err}
	}
	env.Replica = &replica
	return (&Replica{Primary: env.Postgres[0], Instance: Instance{Server: replica}}).waitStreaming(ctx)
}

// newLocalEnv makes the environment's directory, named after its owner, and
// records the owner in it.
func newLocalEnv(prefix, workspace string) (*localEnv, error) {
	self := owner.Self()
	dir, err := os.MkdirTemp("", prefix+self.Tag()+"-")
	if err != nil {
		return nil, err
	}
	le := &localEnv{dir: dir, rec: localRecord{Owner: self, Workspace: workspace}}
	// Postgres refuses to run as root, so as root the servers run as the
	// unprivileged "nobody", which must be able to enter the directory.
	if os.Geteuid() == 0 {
		cred, err := unprivilegedUser()
		if err != nil {
			return le, err
		}
		le.cred = cred
		if err := os.Chmod(dir, 0o755); err != nil {
			return le, err
		}
	}
	return le, le.writeRecord()
}

func unprivilegedUser() (*syscall.Credential, error) {
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("running as root, and no unprivileged user \"nobody\" to run the servers as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// mkdir makes a directory the servers' user owns.
func (le *localEnv) mkdir(name string) (string, error) {
	p := filepath.Join(le.dir, name)
	if err := os.Mkdir(p, 0o700); err != nil {
		return "", err
	}
	return p, le.chown(p)
}

// chown gives a path to the servers' user when running as root.
func (le *localEnv) chown(p string) error {
	if le.cred == nil {
		return nil
	}
	return os.Lchown(p, int(le.cred.Uid), int(le.cred.Gid))
}

// command prepares a server process: its own process group (so a Ctrl-C in
// the terminal reaches dblings, which stops the servers in order) and the
// unprivileged user when running as root.
func (le *localEnv) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: le.cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	return cmd
}

// launch starts a long-running server and records it for the reaper.
func (le *localEnv) launch(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	o := owner.Of(cmd.Process.Pid)
	le.mu.Lock()
	le.procs = append(le.procs, cmd)
	le.rec.Processes = append(le.rec.Processes, o)
	le.mu.Unlock()
	return le.writeRecord()
}

// writeRecord replaces owner.json atomically: a reader sees the old record
// or the new one, never half of one.
func (le *localEnv) writeRecord() error {
	le.writing.Lock()
	defer le.writing.Unlock()
	le.mu.Lock()
	b, err := json.Marshal(le.rec)
	le.mu.Unlock()
	if err != nil {
		return err
	}
	tmp := filepath.Join(le.dir, "owner.json.tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(le.dir, "owner.json"))
}

// stop ends the servers (fast shutdown: the data is disposable) and removes
// the directory.
func (le *localEnv) stop(context.Context) error {
	le.mu.Lock()
	procs := le.procs
	le.procs = nil
	le.mu.Unlock()
	for _, cmd := range procs {
		_ = cmd.Process.Signal(syscall.SIGQUIT) // postgres: immediate shutdown; redis: quit
	}
	for _, cmd := range procs {
		waitOrKill(cmd, 5*time.Second)
	}
	return os.RemoveAll(le.dir)
}

func waitOrKill(cmd *exec.Cmd, grace time.Duration) {
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// recordDirs lists the directories of the local provider, and the markers
// of kept external environments, on this machine.
func recordDirs() []string {
	var dirs []string
	for _, prefix := range []string{localDirPrefix, externalMarkerPrefix} {
		found, _ := filepath.Glob(filepath.Join(os.TempDir(), prefix+"*"))
		dirs = append(dirs, found...)
	}
	return dirs
}

func readLocalRecord(dir string) (localRecord, error) {
	var rec localRecord
	b, err := os.ReadFile(filepath.Join(dir, "owner.json"))
	if err == nil {
		err = json.Unmarshal(b, &rec)
	}
	return rec, err
}

// reapLocal removes the directories and servers of local environments whose
// owner is gone (a crash, kill -9). Several processes may reap at once:
// each only removes what a dead owner left, and removing twice is harmless.
func reapLocal() {
	for _, dir := range recordDirs() {
		reapLocalDir(dir)
	}
}

func reapLocalDir(dir string) {
	rec, recErr := readLocalRecord(dir)
	o, named := owner.ParseTag(strings.TrimPrefix(strings.TrimPrefix(filepath.Base(dir), localDirPrefix), externalMarkerPrefix))
	switch {
	case named:
	case recErr == nil: // a directory made by an older dblings, named at random
		o = rec.Owner
	default:
		// An older dblings's directory whose creation crashed before its
		// owner.json: give its maker a minute to finish.
		if fi, err := os.Stat(dir); err == nil && time.Since(fi.ModTime()) > time.Minute {
			_ = os.RemoveAll(dir)
		}
		return
	}
	if o.Alive() {
		return
	}
	for _, p := range rec.Processes {
		if p.Alive() {
			_ = syscall.Kill(-p.PID, syscall.SIGKILL)
			_ = syscall.Kill(p.PID, syscall.SIGKILL)
		}
	}
	_ = os.RemoveAll(dir)
}

// localKeepers lists the live owners of local environments (and external
// markers) recorded for the workspace.
func localKeepers(workspace string) []owner.Owner {
	var owners []owner.Owner
	for _, dir := range recordDirs() {
		rec, err := readLocalRecord(dir)
		if err == nil && rec.Workspace == workspace && rec.Owner.Alive() {
			owners = append(owners, rec.Owner)
		}
	}
	return owners
}

// Binary is a program the local provider needs and where it was found
// (empty: not found).
type Binary struct{ Name, Path string }

// LocalBinaries reports where the local provider finds its programs, for doctor.
func LocalBinaries() []Binary {
	b, _ := findLocalBinaries()
	return []Binary{{"initdb", b.InitDB}, {"postgres", b.Postgres}, {"redis-server", b.Redis}}
}

// LocalReplicationBinary is where the local provider finds pg_basebackup,
// which replicas and base backups need ("": not found).
func LocalReplicationBinary() Binary {
	return Binary{"pg_basebackup", lookBinary("pg_basebackup", postgresBinDirs())}
}
