package run

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/checker/contract"
	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/sandbox"
)

// EnvironmentError says that the servers could not give a check its
// databases. It is never the learner's fault.
type EnvironmentError struct {
	Step string
	Err  error
}

func (e *EnvironmentError) Error() string {
	return fmt.Sprintf("the database environment failed while %s: %v", e.Step, e.Err)
}

func (e *EnvironmentError) Unwrap() error { return e.Err }

// databases are one check's own: a clone of the lesson's fixture on each
// server it needs, owned by a role of the check's own, and a claimed,
// flushed Redis logical database with a user of its own.
type databases struct {
	seed uint64 // the seed of the fixture's data, told to the check
	// sessions are the runner's own on the servers the clones are on.
	sessions []*session
	clones   []*fixtures.Database // one per session, in the same order
	roles    []*learnerRole       // one per clone, in the same order
	redis    *redisDB
	replica  string // the first clone on the replica, as its role; "" without
	// replicaAdmin is the first clone on the replica as the superuser, for
	// the witness; "" without a replica.
	replicaAdmin string
	// lagged is the replica once the check's apply delay is set (lag),
	// for release to lift it; nil otherwise.
	lagged *sandbox.Replica
	// replicaLag is the apply delay in effect on lagged, for the contract.
	replicaLag time.Duration
	// vault is the backup vault of a lesson that declares archive; nil
	// otherwise.
	vault *checkVault
	// roleTime is what the learner's roles took: sweeping, creating and
	// dropping them (Timings.Role).
	roleTime time.Duration
	// reapErr is why dead owners' clones could not be removed from a
	// server, if they could not: a warning, not a failure.
	reapErr error
}

// prepareDatabases makes the databases for one run of lesson l. On error,
// what was made is already removed.
func prepareDatabases(ctx context.Context, l lessons.Lesson, opts Options) (*databases, error) {
	servers, err := lessonServers(l, opts.Env)
	if err != nil {
		return nil, err
	}
	if l.Replica { // before any clone: an environment without one fails at once
		if _, err := opts.Env.ReplicaOf(); err != nil {
			return nil, &EnvironmentError{Step: "finding the replica", Err: err}
		}
	}
	fixture, err := fixtures.Lookup(l.Fixture)
	if err != nil {
		return nil, &EnvironmentError{Step: "finding the lesson's data set", Err: err}
	}
	d := &databases{seed: opts.Seed}
	for _, server := range servers {
		if err := d.addClone(ctx, server.URL, fixture, opts.Seed); err != nil {
			d.release(context.WithoutCancel(ctx))
			return nil, err
		}
	}
	if l.Archive {
		d.vault = &checkVault{env: opts.Env, admin: d.clones[0].URL, role: d.roles[0].url, roleName: d.roles[0].name, limit: maxRestores}
	}
	if l.Replica {
		if d.replica, err = onReplica(ctx, opts.Env, d.roles[0].url); err != nil {
			d.release(context.WithoutCancel(ctx))
			return nil, err
		}
		if d.replicaAdmin, err = withHost(d.clones[0].URL, d.replica); err != nil {
			d.release(context.WithoutCancel(ctx))
			return nil, &EnvironmentError{Step: "finding the check's database on the replica", Err: err}
		}
	}
	if !l.Redis {
		return d, nil
	}
	// The claim outlives the run by a margin, and expires by itself if this
	// process dies.
	d.redis, err = claimRedis(ctx, opts.Env.Redis.URL, opts.timeout()+compileLimit)
	if err != nil {
		d.release(context.WithoutCancel(ctx))
		return nil, &EnvironmentError{Step: "preparing a Redis database", Err: err}
	}
	return d, nil
}

// addClone opens the runner's session on the server of serverURL, removes
// what dead checks left there, and makes the check's clone and its role.
func (d *databases) addClone(ctx context.Context, serverURL string, fixture *fixtures.Fixture, seed uint64) error {
	admin := &session{url: serverURL}
	d.sessions = append(d.sessions, admin) // first, so that release ends it
	if err := admin.do(ctx, func(c *pgx.Conn) error { return reapStaleClones(ctx, c) }); err != nil {
		d.reapErr = errors.Join(d.reapErr, err)
	}
	sweep := func(c *pgx.Conn) error { return dropLearnerRoles(ctx, c) }
	if err := d.timeRoles(func() error { return admin.do(ctx, sweep) }); err != nil {
		return &EnvironmentError{Step: "removing the roles of earlier checks", Err: err}
	}
	clone, err := cloneFixture(ctx, admin, fixture, seed)
	if err != nil {
		return err
	}
	d.clones = append(d.clones, clone)
	var role *learnerRole
	err = d.timeRoles(func() (err error) {
		role, err = grantClone(ctx, admin, clone)
		return err
	})
	if err != nil {
		return &EnvironmentError{Step: "giving the check its own role", Err: err}
	}
	d.roles = append(d.roles, role)
	return nil
}

// lessonServers are the servers a lesson's databases go on: the first
// ones of the environment, or the archiving server for a lesson that
// restores.
func lessonServers(l lessons.Lesson, env *sandbox.Env) ([]sandbox.Server, error) {
	if l.Archive {
		s, err := env.ArchivingServer()
		if err != nil {
			return nil, &EnvironmentError{Step: "finding the archiving server", Err: err}
		}
		return []sandbox.Server{s}, nil
	}
	n := max(1, l.PostgresServers)
	if len(env.Postgres) < n {
		return nil, &EnvironmentError{Step: "choosing servers", Err: fmt.Errorf("lesson %s needs %d Postgres servers and the environment has %d", l.ID, n, len(env.Postgres))}
	}
	return env.Postgres[:n], nil
}

// timeRoles runs one step on the learner's roles and adds its time to
// roleTime.
func (d *databases) timeRoles(step func() error) error {
	start := time.Now()
	defer func() { d.roleTime += time.Since(start) }()
	return step()
}

// cloneFixture copies the template of the fixture's data of seed on one
// server, building the template first if the server has none. Another
// process may drop a variant's template between the two steps, to keep a
// few (see fixtures.EnsureTemplate): the template is then built again, once.
func cloneFixture(ctx context.Context, admin *session, fixture *fixtures.Fixture, seed uint64) (*fixtures.Database, error) {
	for attempt := 1; ; attempt++ {
		var template string
		err := admin.do(ctx, func(c *pgx.Conn) (err error) {
			template, err = fixture.EnsureTemplateOn(ctx, c, admin.url, fixtures.DefaultScale, seed)
			return err
		})
		if err != nil {
			return nil, &EnvironmentError{Step: "loading the " + fixture.Name + " data set", Err: err}
		}
		var clone *fixtures.Database
		err = admin.do(ctx, func(c *pgx.Conn) (err error) {
			clone, err = fixtures.CloneOn(ctx, c, admin.url, template, cloneOwner())
			return err
		})
		var cloneErr *fixtures.CloneError
		if err != nil && errors.As(err, &cloneErr) && cloneErr.Missing() && attempt == 1 {
			continue
		}
		if err != nil {
			return nil, &EnvironmentError{Step: "copying the " + fixture.Name + " data set", Err: err}
		}
		return clone, nil
	}
}

// replicaWait bounds how long a fresh clone may take to reach the
// replica: about a second on a loaded 2-core machine, but over a minute
// in CI when other checks were copying large data sets at the same time
// (the replica replays every copy of a template, byte for byte, in one
// process).
const replicaWait = 3 * time.Minute

// onReplica waits until the replica has replayed the check's fresh clone
// and its role, with replay resumed and undelayed (a killed run may have
// left it paused or delayed), and returns the clone's URL on the replica. An environment
// without a replica is a CapabilityError that names the environments
// that have one.
func onReplica(ctx context.Context, env *sandbox.Env, cloneURL string) (string, error) {
	r, err := env.ReplicaOf()
	if err != nil {
		return "", &EnvironmentError{Step: "finding the replica", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, replicaWait)
	defer cancel()
	if err := r.ResumeReplay(ctx); err != nil {
		return "", &EnvironmentError{Step: "resuming the replica's replay", Err: err}
	}
	if err := r.SetApplyDelay(ctx, 0); err != nil {
		return "", &EnvironmentError{Step: "removing the replica's apply delay", Err: err}
	}
	if err := r.CatchUp(ctx); err != nil {
		return "", &EnvironmentError{Step: "waiting for the check's database on the replica", Err: err}
	}
	return withHost(cloneURL, r.URL)
}

// lag makes the replica apply each commit of the check only lag after it
// was made on the primary (recovery_min_apply_delay), once it has caught up
// with everything before: the lesson's databases and what the witness did
// at its first look. From then on a read on the replica right after a
// write is stale for certain, and a wait for that write's LSN ends lag
// later. The delay is the replica server's, not the check's: only one
// check at a time may run on a lagged replica. release lifts it.
func (d *databases) lag(ctx context.Context, env *sandbox.Env, lag time.Duration) error {
	if lag <= 0 {
		return nil
	}
	r, err := env.ReplicaOf()
	if err != nil {
		return &EnvironmentError{Step: "finding the replica", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, replicaWait)
	defer cancel()
	if err := r.CatchUp(ctx); err != nil {
		return &EnvironmentError{Step: "waiting for the replica before delaying it", Err: err}
	}
	d.lagged = r
	if err := r.SetApplyDelay(ctx, lag); err != nil {
		return &EnvironmentError{Step: "delaying the replica", Err: err}
	}
	d.replicaLag = lag
	return nil
}

// withHost is rawURL (a database, as a role) on the server of server.
func withHost(rawURL, server string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	s, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Host = s.Host
	return u.String(), nil
}

// environ is the check process's part of the contract: its databases, as
// its own unprivileged roles and Redis user, its report file and the
// vault's socket. The superuser URLs never reach the check process.
func (d *databases) environ(report, vaultSocket string) (string, error) {
	given := contract.Check{Report: report, Seed: d.seed, Replica: d.replica, ReplicaLag: d.replicaLag, Vault: vaultSocket}
	if d.redis != nil {
		given.Redis = d.redis.url
	}
	for _, r := range d.roles {
		given.Postgres = append(given.Postgres, r.url)
	}
	return given.Environ()
}

// release drops the clones and gives the Redis database back, and returns
// what it could not clean. It runs even after the check was killed, so a
// clone may still have sessions: Drop forces them off (DROP DATABASE …
// WITH (FORCE)), and is tried twice, since the server may still be busy
// with the killed process's sessions.
func (d *databases) release(ctx context.Context) []string {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var problems []string
	if d.vault != nil {
		problems = append(problems, d.vault.close(ctx)...)
		d.vault = nil
	}
	if d.lagged != nil { // first, so that dropping the clones is not delayed
		if err := d.lagged.SetApplyDelay(ctx, 0); err != nil {
			problems = append(problems, fmt.Sprintf("could not lift the replica's apply delay: %v", err))
		}
		d.lagged = nil
	}
	for i, c := range d.clones {
		drop := func(admin *pgx.Conn) error { return c.DropOn(ctx, admin) }
		if err := d.sessions[i].do(ctx, drop); err != nil {
			if err = d.sessions[i].do(ctx, drop); err != nil {
				problems = append(problems, fmt.Sprintf("could not drop the check database %s: %v", c.Name, err))
			}
		}
	}
	for _, admin := range d.sessions {
		sweep := func(c *pgx.Conn) error { return dropLearnerRoles(ctx, c) }
		if err := d.timeRoles(func() error { return admin.do(ctx, sweep) }); err != nil {
			problems = append(problems, fmt.Sprintf("could not drop the check's role: %v", err))
		}
		admin.close(ctx)
	}
	d.sessions, d.clones, d.roles = nil, nil, nil
	if d.redis != nil {
		if err := d.redis.release(ctx); err != nil {
			problems = append(problems, fmt.Sprintf("could not clean Redis database %d: %v", d.redis.db, err))
		}
		d.redis = nil
	}
	return problems
}
