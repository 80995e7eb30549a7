package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"

	"github.com/dblings/dblings/internal/owner"
)

// The docker provider's replicas, base backups and restores.
//
// A replica is a second container of the primary's image that runs
// pg_basebackup -R against the primary and then the server. It reaches the
// primary at the primary's address on Docker's default bridge network:
// published ports are bound to the host's 127.0.0.1, which a container
// cannot reach, and a network of our own would be one more thing to label
// and reap. A base backup is taken inside the primary's container; a
// restored server is a fresh container into which the backup and the WAL
// archive are copied before it starts. Containers are found by the ids the
// environment records, so all of this works on a kept environment too.

// dockerArchiveDir is where a primary archives its WAL, in its container.
const dockerArchiveDir = "/tmp/dblings-archive"

// dockerArchiveCommand copies one WAL segment into the archive.
const dockerArchiveCommand = "mkdir -p " + dockerArchiveDir + " && cp %p " + dockerArchiveDir + "/%f"

// replicationHBA is an initialisation script that lets replicas in other
// containers connect for replication: the images allow ordinary
// connections from anywhere (with the password), but replication only
// from the container itself. A fresh reader for every container.
func replicationHBA() testcontainers.ContainerFile {
	return testcontainers.ContainerFile{
		Reader:            strings.NewReader("echo 'host replication all all scram-sha-256' >> \"$PGDATA/pg_hba.conf\"\n"),
		ContainerFilePath: "/docker-entrypoint-initdb.d/dblings-replication.sh",
		FileMode:          0o644,
	}
}

func startDockerReplica(ctx context.Context, primary Server) (*Instance, error) {
	de := &dockerEnv{}
	slot := replicationSlot()
	inst := &Instance{stop: dropSlotAfter(de.stop, primary, slot)}
	var err error
	inst.Server, err = de.startReplica(ctx, primary, ownerLabels(owner.Self(), ""), slot)
	return inst, err
}

// startReplica starts a container that copies the primary with
// pg_basebackup -R, through a replication slot of its own (see
// replicationSlot), and then serves as its replica.
func (de *dockerEnv) startReplica(ctx context.Context, primary Server, labels map[string]string, slot string) (Server, error) {
	image, ip, err := inspectPostgres(ctx, primary.Container)
	if err != nil {
		return Server{}, err
	}
	pw := password(primary)
	env := map[string]string{"PGHOST": ip, "PGUSER": "postgres", "PGPASSWORD": pw, "SLOT": slot}
	const script = `pg_basebackup -D "$1" -R -C -S "$SLOT" -X stream -c fast --no-sync && exec postgres -D "$@"`
	return de.runScript(ctx, image, pw, labels, env, script, "/tmp/dblings-replica", nil)
}

// runScript starts a container of a Postgres image that runs script (with
// sh, as the postgres user, instead of the image's initialisation) with
// the data directory as $1 and the server's settings after it; preStart
// prepares the created container before it starts.
func (de *dockerEnv) runScript(ctx context.Context, image, password string, labels, env map[string]string, script, data string, preStart func(context.Context, string) error, extra ...string) (Server, error) {
	// The socket goes to /tmp: the images make their socket directory in
	// their initialisation, which this container skips.
	args := append([]string{"sh", "-c", script, "sh", data, "-c", "unix_socket_directories=/tmp"}, dockerPostgresArgs...)
	args = append(append(args, preloadArgs...), extra...)
	opts := append(commonCustomizers(labels, "5432/tcp"),
		testcontainers.WithExposedPorts("5432/tcp"),
		testcontainers.WithConfigModifier(func(c *container.Config) { c.User = "postgres" }),
		testcontainers.WithEnv(env),
		testcontainers.WithCmd(args...),
	)
	if preStart != nil {
		opts = append(opts, testcontainers.WithAdditionalLifecycleHooks(testcontainers.ContainerLifecycleHooks{
			PreStarts: []testcontainers.ContainerHook{func(ctx context.Context, c testcontainers.Container) error {
				return preStart(ctx, c.GetContainerID())
			}},
		}))
	}
	ctr, err := runGuarded(func() (testcontainers.Container, error) {
		c, err := testcontainers.Run(ctx, image, opts...)
		if c == nil {
			return nil, err
		}
		return c, err
	})
	de.track(ctr)
	if err != nil {
		return Server{}, runImageError(image, err)
	}
	return servePostgres(ctx, ctr, password)
}

// inspectPostgres returns the image of a Postgres container and its
// address on the default bridge network.
func inspectPostgres(ctx context.Context, id string) (image, ip string, err error) {
	if id == "" {
		return "", "", errors.New("the environment does not record its Postgres container (started by an older dblings?): run \"dblings env down\" and \"dblings env up\" again")
	}
	cli, err := dockerClient()
	if err != nil {
		return "", "", err
	}
	defer cli.Close()
	res, err := cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return "", "", fmt.Errorf("inspect the primary's container: %w", err)
	}
	if res.Container.NetworkSettings != nil {
		for _, name := range []string{"bridge", ""} {
			for n, ep := range res.Container.NetworkSettings.Networks {
				if (name == "" || n == name) && ep != nil && ep.IPAddress.IsValid() {
					return res.Container.Config.Image, ep.IPAddress.String(), nil
				}
			}
		}
	}
	return "", "", fmt.Errorf("the primary's container %.12s has no network address", id)
}

// dockerExec runs a command as the postgres user in a container and
// returns its output; a non-zero exit status is an error with the output.
func dockerExec(ctx context.Context, id string, env []string, cmd ...string) (string, error) {
	cli, err := dockerClient()
	if err != nil {
		return "", err
	}
	defer cli.Close()
	ex, err := cli.ExecCreate(ctx, id, client.ExecCreateOptions{User: "postgres", Env: env, Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return "", err
	}
	att, err := cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{})
	if err != nil {
		return "", err
	}
	defer att.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &out, att.Reader); err != nil {
		return out.String(), err
	}
	res, err := cli.ExecInspect(ctx, ex.ID, client.ExecInspectOptions{})
	if err != nil {
		return out.String(), err
	}
	if res.ExitCode != 0 {
		return out.String(), fmt.Errorf("%s exited with status %d:\n%s", cmd[0], res.ExitCode, tail(out.String(), 10))
	}
	return out.String(), nil
}

// dockerBaseBackup takes the backup inside the primary's container, where
// a restore copies it from.
func dockerBaseBackup(ctx context.Context, primary Server) (*Backup, error) {
	dir := "/tmp/dblings-backup-" + randomPassword()[:12]
	b := &Backup{dir: dir, remove: func(ctx context.Context) error {
		_, err := dockerExec(ctx, primary.Container, nil, "rm", "-rf", dir)
		return err
	}}
	_, err := dockerExec(ctx, primary.Container, []string{"PGPASSWORD=" + password(primary)},
		append([]string{"pg_basebackup", "-h", "127.0.0.1", "-U", "postgres", "-D", dir, "-X", "stream", "-c", "fast", "--no-sync"}, tarFormat...)...)
	return b, err
}

// dockerRestore starts a fresh container holding copies of the backup and
// of the archived WAL it needs, which recovers up to target and is
// promoted.
func dockerRestore(ctx context.Context, b *Backup, target time.Time) (*Instance, error) {
	de := &dockerEnv{}
	inst := &Instance{stop: de.stop}
	image, _, err := inspectPostgres(ctx, b.primary.Container)
	if err != nil {
		return inst, err
	}
	wal, err := walSince(ctx, b)
	if err != nil {
		return inst, fmt.Errorf("gather the archived WAL the backup needs: %w", err)
	}
	defer func() { _, _ = dockerExec(context.WithoutCancel(ctx), b.primary.Container, nil, "rm", "-rf", wal) }()
	copyIn := func(ctx context.Context, id string) error {
		for _, dir := range []string{b.dir, wal} {
			if err := copyBetween(ctx, b.primary.Container, id, dir); err != nil {
				return fmt.Errorf("copy %s into the new container: %w", dir, err)
			}
		}
		return nil
	}
	// The backup is in tar format (see tarFormat): unpacked beside the
	// archives, then started.
	const script = `set -e
data="$1/data"
mkdir -m 700 "$data"
tar -xf "$1/base.tar" -C "$data"
tar -xf "$1/pg_wal.tar" -C "$data/pg_wal"
touch "$data/recovery.signal"
shift
exec postgres -D "$data" "$@"`
	restore := "cp " + wal + "/%f %p"
	inst.Server, err = de.runScript(ctx, image, password(b.primary), ownerLabels(owner.Self(), ""), nil,
		script, b.dir, copyIn, recoveryArgs(restore, target)...)
	if err != nil {
		return inst, err
	}
	return inst, waitPromoted(ctx, inst.URL)
}

// walSince gathers, in a new directory of the archiving server's container,
// hard links to the archived segments a restore of b needs: those from the
// one its backup_label names on. The archive keeps every check's WAL, and
// a restore that copied all of it would copy more the longer the server
// runs.
func walSince(ctx context.Context, b *Backup) (string, error) {
	dir := b.archive + "-restore-" + randomPassword()[:12]
	const script = `set -e
start=$(tar -xOf "$1/base.tar" backup_label | sed -n 's/^START WAL LOCATION: .*(file \(.*\))$/\1/p')
test -n "$start"
mkdir "$2"
cd "$3"
for f in *; do
	if [ ! "$f" \< "$start" ]; then ln "$f" "$2/$f"; fi
done`
	_, err := dockerExec(ctx, b.primary.Container, nil, "sh", "-c", script, "sh", b.dir, dir, b.archive)
	return dir, err
}

// copyBetween copies a directory from one container to the same place in
// another, keeping the owners and modes the archive carries (both run the
// same image, so the same postgres user). CopyUIDGID would instead give
// the files to an owner the engine picks.
func copyBetween(ctx context.Context, from, to, dir string) error {
	cli, err := dockerClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	src, err := cli.CopyFromContainer(ctx, from, client.CopyFromContainerOptions{SourcePath: dir})
	if err != nil {
		return err
	}
	defer src.Content.Close()
	parent := dir[:strings.LastIndex(dir, "/")]
	_, err = cli.CopyToContainer(ctx, to, client.CopyToContainerOptions{DestinationPath: parent, Content: src.Content})
	return err
}
