package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"
	tcredis "github.com/testcontainers/testcontainers-go/modules/redis"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/dblings/dblings/internal/owner"
)

// Default images of the docker provider; DBLINGS_PG_IMAGE and
// DBLINGS_REDIS_IMAGE override them.
const (
	DefaultPostgresImage = "postgres:17-alpine"
	DefaultRedisImage    = "redis:7-alpine"
)

// loopback is where published ports are bound: testcontainers binds every
// interface by default, which on workshop wifi would expose the database.
var loopback = netip.MustParseAddr("127.0.0.1")

// dockerClient talks to the engine named by DOCKER_HOST, or the default socket.
func dockerClient() (*client.Client, error) {
	return client.New(client.FromEnv, client.WithAPIVersionNegotiation())
}

// DockerAvailable reports whether a Docker engine answers a ping.
func DockerAvailable(ctx context.Context) error {
	cli, err := dockerClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if _, err := cli.Ping(ctx, client.PingOptions{}); err != nil {
		return errors.New("no Docker engine answers (is Docker running?)")
	}
	return nil
}

// dockerEnv tracks the containers of one environment.
type dockerEnv struct {
	mu         sync.Mutex
	containers []testcontainers.Container
}

func startDocker(ctx context.Context, cfg Config) (*Env, error) {
	if err := DockerAvailable(ctx); err != nil {
		return nil, &StartError{Provider: Docker, Server: "servers", Err: err}
	}
	// testcontainers logs its connection banner through a process-wide
	// logger that no request option reaches; it would scribble over the TUI.
	tclog.SetDefault(tclog.NewNoopLogger())
	// Reaping is best effort: a stale container that cannot be removed
	// now (another process is removing it) does not stop new servers, and
	// the next start tries again.
	_ = ReapDocker(ctx)
	de := &dockerEnv{}
	env := &Env{Provider: Docker, Postgres: make([]Server, cfg.PostgresServers), stop: de.stop}
	password := randomPassword()
	labels := ownerLabels(owner.Self(), cfg.Workspace)

	errs := make([]error, cfg.PostgresServers+2)
	var wg sync.WaitGroup
	for i := range env.Postgres {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env.Postgres[i], errs[i] = de.runPostgres(ctx, orDefault(cfg.PostgresImage, DefaultPostgresImage), password, labels, nil)
		}()
	}
	if cfg.Archive {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var archived Server
			archived, errs[len(errs)-2] = de.runPostgres(ctx, orDefault(cfg.PostgresImage, DefaultPostgresImage), password, labels, archiveArgs(dockerArchiveCommand),
				testcontainers.WithEnv(map[string]string{"POSTGRES_INITDB_ARGS": "--wal-segsize=" + archiveSegmentMB}))
			env.Archived, env.Archive = &archived, dockerArchiveDir
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		env.Redis, errs[len(errs)-1] = de.runRedis(ctx, orDefault(cfg.RedisImage, DefaultRedisImage), password, labels)
	}()
	wg.Wait()
	if err := joinUnique(errs); err != nil {
		return env, fmt.Errorf("%w\n(an image that cannot be pulled here can be built or loaded by hand and named with DBLINGS_PG_IMAGE / DBLINGS_REDIS_IMAGE)", err)
	}
	if cfg.Replica {
		replica, err := de.startReplica(ctx, env.Postgres[0], labels, replicationSlot())
		if err != nil {
			return env, &StartError{Provider: Docker, Server: "replica", Err: err}
		}
		env.Replica = &replica
		return env, (&Replica{Primary: env.Postgres[0], Instance: Instance{Server: replica}}).waitStreaming(ctx)
	}
	return env, nil
}

// joinUnique joins errors, saying only once what several servers said alike
// (three Postgres containers failing the same way is one problem).
func joinUnique(errs []error) error {
	seen := map[string]bool{}
	var unique []error
	for _, err := range errs {
		if err != nil && !seen[err.Error()] {
			seen[err.Error()] = true
			unique = append(unique, err)
		}
	}
	return errors.Join(unique...)
}

// common options for every container of ours.
func commonCustomizers(labels map[string]string, port string) []testcontainers.ContainerCustomizer {
	l := map[string]string{Label: "1"}
	for k, v := range labels {
		l[k] = v
	}
	return []testcontainers.ContainerCustomizer{
		testcontainers.WithLogger(tclog.NewNoopLogger()),
		testcontainers.WithLabels(l),
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			hc.PortBindings = network.PortMap{network.MustParsePort(port): {{HostIP: loopback}}}
		}),
		// Readiness is proven by a real query or PING below; the port wait
		// only makes sure the mapping exists.
		testcontainers.WithWaitStrategy(wait.ForMappedPort(port)),
	}
}

// runPostgres starts a primary: the image's own initialisation, which also
// lets replicas in other containers connect for replication (see
// replicationHBA), with extra settings.
func (de *dockerEnv) runPostgres(ctx context.Context, image, password string, labels map[string]string, extra []string, more ...testcontainers.ContainerCustomizer) (Server, error) {
	opts := append(commonCustomizers(labels, "5432/tcp"),
		tcpostgres.WithUsername("postgres"),
		tcpostgres.WithPassword(password),
		tcpostgres.WithDatabase("postgres"),
		testcontainers.WithFiles(replicationHBA()),
		testcontainers.WithCmdArgs(append(append(slices.Clone(dockerPostgresArgs), preloadArgs...), extra...)...),
		// The data of a disposable server lives in memory. On the image's
		// overlay file system every file a clone creates went through the
		// overlay and ext4's inode allocation, and every page written was
		// written back to disk: a profile of the answers suite put the
		// overlay's file creation alone at 3% of the machine's CPU.
		testcontainers.WithTmpfs(map[string]string{postgresData: "rw"}),
	)
	opts = append(opts, more...)
	ctr, err := runGuarded(func() (testcontainers.Container, error) {
		c, err := tcpostgres.Run(ctx, image, opts...)
		if c == nil { // a nil *PostgresContainer must not become a non-nil interface
			return nil, err
		}
		return c, err
	})
	de.track(ctr)
	if err != nil {
		return Server{}, &StartError{Provider: Docker, Server: "postgres", Err: runImageError(image, err)}
	}
	srv, err := servePostgres(ctx, ctr, password)
	if err != nil {
		return Server{}, &StartError{Provider: Docker, Server: "postgres", Err: err}
	}
	return srv, nil
}

// postgresData is the data directory of the Postgres images (PGDATA of
// the official images and of the CI's).
const postgresData = "/var/lib/postgresql/data"

// dockerPostgresArgs are the settings of every Postgres container (the
// postgres module adds fsync=off). A replica must allow as many
// connections as its primary, so they share them.
var dockerPostgresArgs = append([]string{"-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"}, walArgs...)

// servePostgres waits until the container's server answers a query and
// returns how to reach it.
func servePostgres(ctx context.Context, ctr testcontainers.Container, password string) (Server, error) {
	port, err := ctr.MappedPort(ctx, "5432/tcp")
	if err != nil {
		return Server{}, err
	}
	u := url.URL{Scheme: "postgres", User: url.UserPassword("postgres", password),
		Host: fmt.Sprintf("127.0.0.1:%d", port.Num()), Path: "/postgres", RawQuery: "sslmode=disable"}
	alive := func() bool {
		st, err := ctr.State(context.WithoutCancel(ctx))
		return err == nil && st.Running
	}
	version, err := waitReady(ctx, alive, func(ctx context.Context) (string, error) { return pingPostgres(ctx, u.String()) })
	if err != nil {
		return Server{}, fmt.Errorf("%w\n%s", err, containerLog(ctx, ctr))
	}
	return Server{URL: u.String(), Version: version, Container: ctr.GetContainerID()}, nil
}

// containerLog is the last lines a container wrote, for error messages.
func containerLog(ctx context.Context, ctr testcontainers.Container) string {
	r, err := ctr.Logs(context.WithoutCancel(ctx))
	if err != nil {
		return ""
	}
	defer r.Close()
	b, _ := io.ReadAll(io.LimitReader(r, 1<<20))
	return tail(string(b), 10)
}

func (de *dockerEnv) runRedis(ctx context.Context, image, password string, labels map[string]string) (Server, error) {
	opts := append(commonCustomizers(labels, "6379/tcp"),
		testcontainers.WithCmd("redis-server", "--requirepass", password, "--save", "", "--appendonly", "no"),
	)
	ctr, err := runGuarded(func() (testcontainers.Container, error) {
		c, err := tcredis.Run(ctx, image, opts...)
		if c == nil {
			return nil, err
		}
		return c, err
	})
	de.track(ctr)
	if err != nil {
		return Server{}, &StartError{Provider: Docker, Server: "redis", Err: runImageError(image, err)}
	}
	port, err := ctr.MappedPort(ctx, "6379/tcp")
	if err != nil {
		return Server{}, &StartError{Provider: Docker, Server: "redis", Err: err}
	}
	u := fmt.Sprintf("redis://:%s@127.0.0.1:%d/0", password, port.Num())
	version, err := waitReady(ctx, nil, func(ctx context.Context) (string, error) { return pingRedis(ctx, u) })
	if err != nil {
		return Server{}, &StartError{Provider: Docker, Server: "redis", Err: err}
	}
	return Server{URL: u, Version: version}, nil
}

// runGuarded turns a panic inside testcontainers (it has panicked when the
// engine vanished mid-way) into an error.
func runGuarded(run func() (testcontainers.Container, error)) (ctr testcontainers.Container, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("docker: %v", r)
		}
	}()
	return run()
}

func runImageError(image string, err error) error {
	return fmt.Errorf("run image %s: %w", image, err)
}

func (de *dockerEnv) track(c testcontainers.Container) {
	if c == nil {
		return
	}
	de.mu.Lock()
	de.containers = append(de.containers, c)
	de.mu.Unlock()
}

func (de *dockerEnv) stop(ctx context.Context) error {
	de.mu.Lock()
	ctrs := de.containers
	de.containers = nil
	de.mu.Unlock()
	errs := make([]error, len(ctrs))
	var wg sync.WaitGroup
	for i, c := range ctrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.Terminate(ctx, testcontainers.StopTimeout(0))
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ReapDocker removes labelled containers whose owning process is gone.
func ReapDocker(ctx context.Context) error {
	cli, err := dockerClient()
	if err != nil {
		return err
	}
	defer cli.Close()
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", Label)})
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range list.Items {
		if ownerFromLabels(c.Labels).Alive() {
			continue
		}
		// Another process may be reaping the same container: gone, or its
		// removal already in progress (a conflict), both are fine.
		_, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		if err != nil && !cerrdefs.IsNotFound(err) && !cerrdefs.IsConflict(err) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// dockerKeepers lists the live owners of the containers labelled with the
// workspace: the keepers of its environments.
func dockerKeepers(ctx context.Context, workspace string) ([]owner.Owner, error) {
	cli, err := dockerClient()
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	list, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true,
		Filters: make(client.Filters).Add("label", LabelWorkspace+"="+workspace)})
	if err != nil {
		return nil, err
	}
	var owners []owner.Owner
	for _, c := range list.Items {
		if o := ownerFromLabels(c.Labels); o.Alive() {
			owners = append(owners, o)
		}
	}
	return owners, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
