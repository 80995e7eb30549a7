package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dblings/dblings/internal/files"
	"github.com/dblings/dblings/internal/owner"
)

// readyTimeout bounds how long a freshly started server may take to answer.
const readyTimeout = 60 * time.Second

// startPostgresServers initializes one data directory, copies it for the
// other servers (much cheaper than running initdb again), and starts every
// server in parallel. Every copy is made before any server starts: a data
// directory copied from a running server carries its postmaster.pid, and
// the copy's server then refuses to start ("lock file already exists").
// With archiving, the last server is the archiving server (see
// Config.Archive).
func (le *localEnv) startPostgresServers(ctx context.Context, bins localBinaries, password string, out []Server, archiving bool) error {
	first, err := le.initdb(ctx, bins.InitDB, password)
	if err != nil {
		return &StartError{Provider: Local, Server: "postgres", Err: err}
	}
	dirs := make([]string, len(out))
	errs := make([]error, len(out))
	dirs[0] = first
	var wg sync.WaitGroup
	for i := 1; i < len(out); i++ {
		wg.Add(1)
		go func() { defer wg.Done(); dirs[i], errs[i] = le.copyDir(first, fmt.Sprintf("pg%d", i)) }()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return &StartError{Provider: Local, Server: "postgres", Err: fmt.Errorf("copy the data directory: %w", err)}
	}
	extra := make([][]string, len(out))
	if archiving {
		last := len(out) - 1
		if extra[last], err = le.prepareArchiving(ctx, dirs[last]); err != nil {
			return &StartError{Provider: Local, Server: "archiving postgres", Err: err}
		}
	}
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = le.runPostgres(ctx, bins.Postgres, dirs[i], password, extra[i]...)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return &StartError{Provider: Local, Server: "postgres", Err: err}
		}
	}
	return nil
}

// prepareArchiving makes the data directory of a fresh, never started
// server the archiving server's: small WAL segments (pg_resetwal, see
// archiveSegmentMB) and an archive directory, and returns the settings
// that archive into it.
func (le *localEnv) prepareArchiving(ctx context.Context, data string) ([]string, error) {
	resetwal := lookBinary("pg_resetwal", postgresBinDirs())
	if resetwal == "" {
		return nil, errors.New("pg_resetwal not found: install the PostgreSQL server package")
	}
	if out, err := le.command(resetwal, "--wal-segsize="+archiveSegmentMB, "-D", data).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pg_resetwal: %v\n%s", err, tail(string(out), 10))
	}
	dir, err := le.mkdir("archive")
	if err != nil {
		return nil, err
	}
	_ = ctx
	return archiveArgs(fmt.Sprintf(`cp "%%p" "%s/%%f"`, dir)), nil
}

func (le *localEnv) initdb(ctx context.Context, initdb, password string) (string, error) {
	data, err := le.mkdir("pg0")
	if err != nil {
		return "", err
	}
	// The password file is read by initdb only, so only its user may.
	pwfile := filepath.Join(le.dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(password+"\n"), 0o600); err != nil {
		return "", err
	}
	defer os.Remove(pwfile)
	if err := le.chown(pwfile); err != nil {
		return "", err
	}
	cmd := le.command(initdb, "-D", data, "-U", "postgres", "--pwfile", pwfile,
		"--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("initdb: %v\n%s", err, tail(string(out), 20))
	}
	_ = ctx
	return data, nil
}

// portAttempts bounds the retries when a free port is taken by another
// server (of another environment starting at the same moment) between
// choosing it and binding it.
const portAttempts = 5

// runPostgres starts one server on a free loopback port and waits until it
// answers a query. A port taken between choosing and binding is retried.
// Only TCP is used: no Unix socket, whose path could exceed the 104 or 108
// bytes allowed when TMPDIR is long. extra are more settings ("-c", "k=v").
func (le *localEnv) runPostgres(ctx context.Context, postgres, data, password string, extra ...string) (Server, error) {
	var lastErr error
	for attempt := 0; attempt < portAttempts; attempt++ {
		port, err := freePort()
		if err != nil {
			return Server{}, err
		}
		logPath := data + ".log"
		args := append([]string{"-D", data, "-p", strconv.Itoa(port),
			"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
			"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
			"-c", "max_connections=200"}, append(walArgs, preloadArgs...)...)
		cmd := le.command(postgres, append(args, extra...)...)
		url := fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/postgres?sslmode=disable", password, port)
		srv, err := le.runServer(ctx, cmd, logPath, func(ctx context.Context) (string, error) { return pingPostgres(ctx, url) })
		if err == nil {
			return Server{URL: url, Version: srv}, nil
		}
		lastErr = err
		if !strings.Contains(readFile(logPath), "could not bind") {
			break
		}
	}
	return Server{}, lastErr
}

func (le *localEnv) startRedis(ctx context.Context, redisServer, password string) (Server, error) {
	dir, err := le.mkdir("redis")
	if err != nil {
		return Server{}, &StartError{Provider: Local, Server: "redis", Err: err}
	}
	var lastErr error
	for attempt := 0; attempt < portAttempts; attempt++ {
		port, err := freePort()
		if err != nil {
			return Server{}, &StartError{Provider: Local, Server: "redis", Err: err}
		}
		logPath := filepath.Join(le.dir, "redis.log")
		cmd := le.command(redisServer, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--requirepass", password, "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no")
		url := fmt.Sprintf("redis://:%s@127.0.0.1:%d/0", password, port)
		version, err := le.runServer(ctx, cmd, logPath, func(ctx context.Context) (string, error) { return pingRedis(ctx, url) })
		if err == nil {
			return Server{URL: url, Version: version}, nil
		}
		lastErr = err
		if !strings.Contains(readFile(logPath), "in use") {
			break
		}
	}
	return Server{}, &StartError{Provider: Local, Server: "redis", Err: lastErr}
}

// runServer starts a server with its output in logPath and waits until ping
// answers; the error ends with the log's last lines.
func (le *localEnv) runServer(ctx context.Context, cmd *exec.Cmd, logPath string, ping func(context.Context) (string, error)) (string, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return "", err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	err = le.launch(cmd)
	logFile.Close()
	if err != nil {
		return "", err
	}
	version, err := waitReady(ctx, processAlive(cmd.Process.Pid), ping)
	if err != nil {
		return "", fmt.Errorf("%w\n%s", err, tail(readFile(logPath), 10))
	}
	return version, nil
}

// waitReady polls ping until it succeeds, the server's process exits
// (alive, when given, says whether it still runs), or time runs out. A
// container's port proxy accepts connections before the server inside
// listens, so a failed ping is retried rather than trusted.
func waitReady(ctx context.Context, alive func() bool, ping func(context.Context) (string, error)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, 2*time.Second)
		version, err := ping(attempt)
		cancelAttempt()
		if err == nil {
			return version, nil
		}
		if alive != nil && !alive() {
			return "", fmt.Errorf("the server exited during start-up")
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("not ready after %s: %w", readyTimeout, err)
		case <-time.After(15 * time.Millisecond):
		}
	}
}

// processAlive watches one server process.
func processAlive(pid int) func() bool { return func() bool { return owner.Running(pid) } }

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// copyDir copies a data directory, keeping modes and the owner.
func (le *localEnv) copyDir(src, name string) (string, error) {
	dst := filepath.Join(le.dir, name)
	err := filepath.Walk(src, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			if err := os.Mkdir(target, fi.Mode().Perm()); err != nil {
				return err
			}
		} else if err := files.Copy(path, target, fi.Mode().Perm()); err != nil {
			return err
		}
		return le.chown(target)
	})
	return dst, err
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// tail keeps the last n lines of a log, for error messages.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
