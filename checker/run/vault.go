package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker/vault"
	"github.com/dblings/dblings/sandbox"
	"github.com/dblings/dblings/witness"
)

// The backup vault of a lesson that declares archive. Base backups and
// restores need the superuser and start servers, so they stay in this
// process: the lesson's witness takes the backups while it sets the scene,
// and the learner's code asks for restores over a Unix socket in the
// check's folder (package checker/vault is its client), getting back URLs
// as the check's own role. Every restored server keeps running until the
// witness has judged it, and is stopped when the check's databases are
// released.

// maxRestores bounds the servers one check may have restored (unless its
// vault says otherwise): each is a whole server, and a loop that restores
// on every attempt would fill the machine.
const maxRestores = 4

// vaultSocket is the socket's name in the check's folder.
const vaultSocket = "vault.sock"

// maxSocketPath is the longest Unix socket path every system accepts
// (sun_path is 104 bytes on macOS and the BSDs, 108 on Linux).
const maxSocketPath = 103

type checkVault struct {
	env   *sandbox.Env
	admin string // the check's database on the archiving server, as the superuser
	role  string // the same, as the check's role
	// roleName is the check's role, whose sessions on the restored
	// servers settle waits for.
	roleName string
	// limit bounds the restores of the check (maxRestores).
	limit int

	mu       sync.Mutex
	backups  []namedBackup
	restores []restoredServer
	pending  int // restores asked for and not yet answered
	replica  *sandbox.Replica
	server   *http.Server
}

type namedBackup struct {
	name   string
	backup *sandbox.Backup
}

type restoredServer struct {
	witness.Restore
	instance *sandbox.Instance
}

// TakeBackup takes a base backup of the archiving server under name.
func (v *checkVault) TakeBackup(ctx context.Context, name string) error {
	b, err := v.env.BaseBackup(ctx)
	if err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.backups = append(v.backups, namedBackup{name, b})
	return nil
}

// Restores lists the restored servers, in the order they were asked for.
func (v *checkVault) Restores() []witness.Restore {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]witness.Restore, len(v.restores))
	for i, r := range v.restores {
		out[i] = r.Restore
	}
	return out
}

// Replica is the check's database on the replica, as the superuser; "" if
// the learner's code asked for none.
func (v *checkVault) Replica() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.replica == nil {
		return ""
	}
	u, _ := withHost(v.admin, v.replica.URL)
	return u
}

// serve starts answering on a socket in dir and returns its path.
func (v *checkVault) serve(dir string) (string, error) {
	socket := filepath.Join(dir, vaultSocket)
	if len(socket) > maxSocketPath {
		return "", fmt.Errorf("the vault's socket path %s is longer than %d bytes: set TMPDIR to a shorter folder", socket, maxSocketPath)
	}
	ln, err := net.Listen("unix", socket)
	if err != nil {
		return "", err
	}
	// The check may run as another user (isolation): its folder keeps
	// everyone else out, so the socket itself may be open to all.
	if err := os.Chmod(socket, 0o666); err != nil {
		ln.Close()
		return "", err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backups", v.listBackups)
	mux.HandleFunc("POST /restore", v.restore)
	mux.HandleFunc("GET /restores", v.listRestores)
	mux.HandleFunc("POST /replica", v.startReplica)
	v.mu.Lock()
	v.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	srv := v.server
	v.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return socket, nil
}

// shutdown stops answering; what was restored keeps running for the witness.
func (v *checkVault) shutdown() {
	v.mu.Lock()
	srv := v.server
	v.server = nil
	v.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

func (v *checkVault) listBackups(w http.ResponseWriter, _ *http.Request) {
	v.mu.Lock()
	out := make([]vault.Backup, len(v.backups))
	for i, b := range v.backups {
		out[i] = vault.Backup{Name: b.name, TakenAt: b.backup.At}
	}
	v.mu.Unlock()
	answer(w, http.StatusOK, out)
}

func (v *checkVault) listRestores(w http.ResponseWriter, _ *http.Request) {
	var out []vault.Restored
	for _, r := range v.Restores() {
		out = append(out, vault.Restored{URL: r.URL, Backup: r.Backup, Target: r.Target, Took: r.Took})
	}
	answer(w, http.StatusOK, out)
}

func (v *checkVault) restore(w http.ResponseWriter, r *http.Request) {
	var req vault.RestoreRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		refuse(w, http.StatusBadRequest, "a restore is asked for with a backup's name and a target time: "+err.Error())
		return
	}
	b, err := v.reserve(req.Backup)
	if err != nil {
		refuse(w, http.StatusBadRequest, err.Error())
		return
	}
	start := time.Now()
	inst, err := sandbox.Restore(r.Context(), b, req.Target)
	restored, recErr := v.record(req, inst, time.Since(start), err)
	var usage *sandbox.UsageError
	switch {
	case errors.As(err, &usage):
		refuse(w, http.StatusBadRequest, usage.Msg)
	case err != nil:
		refuse(w, http.StatusInternalServerError, "the restore failed: "+err.Error())
	case recErr != nil:
		refuse(w, http.StatusInternalServerError, recErr.Error())
	default:
		answer(w, http.StatusOK, restored)
	}
}

// reserve finds the named backup and takes one of the check's restores.
func (v *checkVault) reserve(name string) (*sandbox.Backup, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	i := slices.IndexFunc(v.backups, func(b namedBackup) bool { return b.name == name })
	if i < 0 {
		names := make([]string, len(v.backups))
		for j, b := range v.backups {
			names[j] = fmt.Sprintf("%q", b.name)
		}
		return nil, fmt.Errorf("no backup is named %q: the vault holds %s (Backups lists them)", name, joinWords(names))
	}
	if len(v.restores)+v.pending >= v.limit {
		return nil, fmt.Errorf("the vault restores at most %d servers per check: choose the backup and the target before asking", v.limit)
	}
	v.pending++
	return v.backups[i].backup, nil
}

// record keeps a finished restore, or frees its reservation.
func (v *checkVault) record(req vault.RestoreRequest, inst *sandbox.Instance, took time.Duration, err error) (vault.Restored, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.pending--
	if err != nil {
		return vault.Restored{}, nil
	}
	url, urlErr := withHost(v.role, inst.URL)
	admin, adminErr := withHost(v.admin, inst.URL)
	if err := errors.Join(urlErr, adminErr); err != nil {
		_ = inst.Stop(context.Background())
		return vault.Restored{}, err
	}
	v.restores = append(v.restores, restoredServer{
		Restore:  witness.Restore{Backup: req.Backup, Target: req.Target, Took: took, URL: url, Admin: admin},
		instance: inst,
	})
	return vault.Restored{URL: url, Backup: req.Backup, Target: req.Target, Took: took}, nil
}

func (v *checkVault) startReplica(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.replica == nil {
		replica, err := v.env.StartArchivedReplica(r.Context())
		if err != nil {
			refuse(w, http.StatusInternalServerError, "the replica did not start: "+err.Error())
			return
		}
		v.replica = replica
	}
	url, err := withHost(v.role, v.replica.URL)
	if err != nil {
		refuse(w, http.StatusInternalServerError, err.Error())
		return
	}
	answer(w, http.StatusOK, map[string]string{"url": url})
}

// settle waits until the check's role has no session left on the restored
// servers and the replica: a session flushes its statistics as it ends,
// and the witness reads them.
func (v *checkVault) settle(ctx context.Context) error {
	v.mu.Lock()
	servers := make([]string, 0, len(v.restores)+1)
	for _, r := range v.restores {
		servers = append(servers, r.Admin)
	}
	v.mu.Unlock()
	for _, server := range servers {
		if err := waitSessions(ctx, server, v.roleName); err != nil {
			return err
		}
	}
	return nil
}

// close stops the servers it started and removes the backups, all at
// once, and returns what it could not.
func (v *checkVault) close(ctx context.Context) []string {
	v.shutdown()
	v.mu.Lock()
	defer v.mu.Unlock()
	var steps []func() error
	for _, r := range v.restores {
		steps = append(steps, func() error { return describe("stop a restored server", r.instance.Stop(ctx)) })
	}
	if replica := v.replica; replica != nil {
		steps = append(steps, func() error { return describe("stop the vault's replica", replica.Stop(ctx)) })
	}
	for _, b := range v.backups {
		steps = append(steps, func() error { return describe(fmt.Sprintf("remove the backup %q", b.name), b.backup.Remove(ctx)) })
	}
	v.restores, v.replica, v.backups = nil, nil, nil
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = step() }()
	}
	wg.Wait()
	var problems []string
	for _, err := range errs {
		if err != nil {
			problems = append(problems, err.Error())
		}
	}
	return problems
}

// describe says what could not be done, or nil.
func describe(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("could not %s: %w", what, err)
}

func answer(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func refuse(w http.ResponseWriter, status int, msg string) {
	answer(w, status, vault.ErrorBody{Error: msg})
}

// joinWords is "a", "a and b", "a, b and c".
func joinWords(words []string) string {
	switch len(words) {
	case 0:
		return "no backup"
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// waitSessions waits until role has no session on the server of url.
func waitSessions(ctx context.Context, url, role string) error {
	return withConn(ctx, url, func(conn *pgx.Conn) error { return waitSessionsOn(ctx, conn, role) })
}

// waitSessionsOn waits until role has no session on the server of the
// superuser session conn.
func waitSessionsOn(ctx context.Context, conn *pgx.Conn, role string) error {
	for {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE usename = $1`, role).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d sessions of the check were still open after %s", n, settleLimit)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
