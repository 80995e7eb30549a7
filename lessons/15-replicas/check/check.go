// Package check is lesson 15's check: the learner's router must serve the
// reads of a read-mostly workload from the replica, let a session read its
// own writes at once although the replica lags, and fall back to the
// primary, within a deadline, when the replica refuses connections or
// does not answer.
//
// The runner delays the replica by the lesson's replica_lag (1 s): every
// commit reaches the replica's data that much later, so a read there right
// after a write is stale for certain, and a wait for it takes the whole
// lag. Where the reads were served is counted by the servers themselves
// (pg_stat_statements, on the primary and on the replica), not by the
// check's process.
//
// The check lives in a package of its own, compiled once and cached;
// exercises/15-replicas/check_test.go hands it the learner's code.
package check

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/contract"
)

// Session is one user's session of the learner's router.
type Session interface {
	Write(ctx context.Context, sql string, args ...any) error
	Read(ctx context.Context, sql string, args ...any) ([][]any, error)
}

// Exercise is what the learner's package gives the check: a router over a
// primary and a replica, as a function that starts its sessions.
type Exercise struct {
	NewRouter func(primary, replica *pgxpool.Pool) func() Session
}

// The check's own statements. Each query has its own shape, so that
// pg_stat_statements counts each apart: the readers' post page (whose
// calls decide where reads were served), a writer's own comments, and the
// post title read while the replica is down.
const (
	pageQuery = `SELECT p.title, count(c.id) FROM posts p LEFT JOIN comments c ON c.post_id = p.id WHERE p.id = $1 GROUP BY p.title`
	// pageMarker finds pageQuery among the server's statements; the
	// witness keeps its own copy.
	pageMarker = "LEFT JOIN comments c ON c.post_id = p.id"
	// truthQuery is the check's own way to the page, of another shape, so
	// that its reads do not count as the workload's.
	truthQuery   = `SELECT p.title, (SELECT count(*) FROM comments c WHERE c.post_id = p.id) FROM posts p WHERE p.id = $1`
	ownQuery     = `SELECT body FROM comments WHERE post_id = $1 AND author_id = $2 ORDER BY id DESC LIMIT 20`
	countQuery   = `SELECT count(*) FROM comments WHERE post_id = $1`
	titleQuery   = `SELECT title FROM posts WHERE id = $1`
	writeComment = `INSERT INTO comments (id, post_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, now())`
)

const (
	// budget bounds a write and the read of it right after: well under
	// the lag, so neither waiting for the replica nor a sleep long enough
	// to outlast the lag fits in it, and far above what a read on the
	// primary takes on a loaded machine.
	budget = 500 * time.Millisecond
	// downLimit bounds a read while the replica is down.
	downLimit = time.Second
	// downWait is how long the check waits for such a read before it
	// gives up on it.
	downWait = 3 * time.Second
	// readers, readsEach: the read-mostly workload, readers sessions that
	// never write, each reading the page of a post readsEach times.
	readers   = 8
	readsEach = 30
	// rounds is how many times a session writes then reads its write.
	rounds = 8
	// minShare is the share of the workload's reads, in percent, the
	// replica must have served.
	minShare = 90
	// fallbackShare is the share of the reads, in percent, the primary may
	// serve beyond the rest: a read the replica was too slow for goes to
	// the primary too, and on a loaded CI machine a right answer sent 10
	// of its 240 reads there (a router that reads both servers sends all).
	fallbackShare = 5
)

// Run is the check of lesson 15.
func Run(t *testing.T, ex Exercise) {
	c := checker.New(t, checker.WithWeights(checker.Weights{
		"reads served by the replica":          3,
		"a session reads its own writes":       3,
		"a read after a write within 500 ms":   1,
		"replica refused: reads on primary":    1,
		"replica silent: reads on primary":     1,
		"the workload's reads return the page": 1,
	}))
	given, err := contract.Read(os.Getenv)
	c.RequireNoError("read the check's environment", err)
	if given.Replica == "" {
		c.Require("the check has a replica", false,
			"the runner gave the check no replica: lesson.toml must say servers.replica = true", checker.Evidence{})
	}
	if given.ReplicaLag < 2*budget {
		c.Require("the replica lags", false, fmt.Sprintf("the runner delays the replica by %s (servers.replica_lag); the check needs at least %s, "+
			"so that a read that waits for the replica cannot fit in the %s a read after a write may take", given.ReplicaLag, 2*budget, budget), checker.Evidence{})
	}
	replica := newPool(t, c, given.Replica)
	admin := newPool(t, c, given.Replica) // the check's own, for its counts
	f := readFacts(c)
	f.lag = given.ReplicaLag
	requireLag(c, admin, f)

	routes := ex.NewRouter(c.Pool(), replica)
	readMostly(c, routes, admin, f)
	readYourWrites(c, routes, f)
	replicaDown(t, c, ex, given.Replica, f)
}

// requireLag makes sure the replica lags by what the runner says: a
// comment the check writes on the primary reaches the replica no sooner
// than the lag. Without the lag no read could be stale and the check would
// prove nothing; with less than it says, the messages would lie.
func requireLag(c *checker.Check, replica *pgxpool.Pool, f *facts) {
	ctx := c.Ctx()
	id := f.nextID.Add(1)
	// The delay counts from the commit, which comes after this.
	wrote := time.Now()
	_, err := c.Admin().Exec(ctx, writeComment, id, f.post, f.author, "the check's probe of the replica's lag")
	c.RequireNoError("write a probe comment", err)
	arrived, err := arrival(ctx, replica, id, f.lag+lagSlack)
	c.RequireNoError("wait for the probe on the replica", err)
	if took := arrived.Sub(wrote); took < f.lag {
		c.Require("the replica lags", false, fmt.Sprintf("a comment written on the primary was on the replica after %s, before the %s the runner set (servers.replica_lag): "+
			"the check cannot tell a fresh read from a lucky one", took.Round(time.Millisecond), f.lag), checker.Evidence{})
	}
}

// lagSlack is how long past the lag the check waits for its probe on a
// loaded machine before it gives up on the replica.
const lagSlack = 10 * time.Second

// arrival polls the replica until comment id is there, and says when.
func arrival(ctx context.Context, replica *pgxpool.Pool, id int64, limit time.Duration) (time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		var there bool
		if err := replica.QueryRow(ctx, `SELECT EXISTS (SELECT FROM comments WHERE id = $1)`, id).Scan(&there); err != nil {
			return time.Time{}, fmt.Errorf("the probe comment did not reach the replica within %s: %w", limit, err)
		}
		if there {
			return time.Now(), nil
		}
		select {
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("the probe comment did not reach the replica within %s", limit)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// replicaConns is the size of the pools on the replica: one connection
// for each reader and the writer, and some to spare.
const replicaConns = readers + 4

// newPool opens a pool on url with the guard rails of the check's own
// pools, with its connections open, and closes it when the test ends.
//
// Why open them first: a router gives the replica a short deadline and
// then reads from the primary. With pgxpool's default of four connections,
// or with each read opening its own, the eight readers spent that deadline
// queueing for a connection or logging in on a loaded machine, and the
// reference solution read 94% of the pages from the primary (CI, verify).
func newPool(t *testing.T, c *checker.Check, url string) *pgxpool.Pool {
	cfg, err := pgxpool.ParseConfig(url)
	c.RequireNoError("read the replica's URL", err)
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "30000"
	cfg.ConnConfig.RuntimeParams["application_name"] = "dblings-learner"
	cfg.MaxConns = replicaConns
	p, err := pgxpool.NewWithConfig(c.Ctx(), cfg)
	c.RequireNoError("open a pool on the replica", err)
	t.Cleanup(p.Close)
	c.RequireNoError("connect to the replica", openAll(c.Ctx(), p))
	return p
}

// openAll opens every connection the pool may hold and returns them to it.
func openAll(ctx context.Context, p *pgxpool.Pool) error {
	conns := make([]*pgxpool.Conn, 0, p.Config().MaxConns)
	defer func() {
		for _, conn := range conns {
			conn.Release()
		}
	}()
	for range p.Config().MaxConns {
		conn, err := p.Acquire(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, conn)
	}
	return nil
}

// facts are what the check reads from the data before the learner's code
// runs: the posts the readers read and their pages, the post and author
// the writers write as, and the first free comment id.
type facts struct {
	pages  []page
	post   int64 // written to, never among pages
	author int64
	nextID atomic.Int64
	lag    time.Duration // how late the replica applies each commit
}

// page is a post's title and comment count, as pageQuery returns them.
type page struct {
	post     int64
	title    string
	comments int64
}

// readFacts picks, from the run's seed, the posts of the workload and the
// one the writers write to, and reads their pages on the primary.
func readFacts(c *checker.Check) *facts {
	ctx := c.Ctx()
	f := &facts{}
	rows, err := c.Admin().Query(ctx, `SELECT id FROM posts ORDER BY hashtext(id::text || $1), id LIMIT $2`,
		fmt.Sprint(c.Seed()), readers+1)
	c.RequireNoError("pick the workload's posts", err)
	var posts []int64
	for rows.Next() {
		var id int64
		c.RequireNoError("pick the workload's posts", rows.Scan(&id))
		posts = append(posts, id)
	}
	c.RequireNoError("pick the workload's posts", rows.Err())
	if len(posts) < readers+1 {
		c.Require("the forum has posts", false, "the forum has too few posts for the check", checker.Evidence{})
	}
	f.post = posts[readers]
	for _, id := range posts[:readers] {
		p := page{post: id}
		c.RequireNoError("read a post's page", c.Admin().QueryRow(ctx, truthQuery, id).Scan(&p.title, &p.comments))
		f.pages = append(f.pages, p)
	}
	var next int64
	c.RequireNoError("pick the writers' author", c.Admin().QueryRow(ctx,
		`SELECT (SELECT id FROM users ORDER BY hashtext(id::text || $1), id LIMIT 1), (SELECT coalesce(max(id), 0) + 1 FROM comments)`,
		fmt.Sprint(c.Seed())).Scan(&f.author, &next))
	f.nextID.Store(next)
	return f
}

// writeOwn writes a new comment as the session and returns its body.
func (f *facts) writeOwn(ctx context.Context, s Session, seed uint64) (string, error) {
	id := f.nextID.Add(1)
	body := fmt.Sprintf("comment %d of the replicas check, seed %d", id, seed)
	return body, s.Write(ctx, writeComment, id, f.post, f.author, body)
}

// sawOwn reads the session's comments and says whether body is among them.
func (f *facts) sawOwn(ctx context.Context, s Session, body string) (bool, error) {
	rows, err := s.Read(ctx, ownQuery, f.post, f.author)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(rows, func(r []any) bool { return len(r) == 1 && r[0] == body }), nil
}

// readMostly runs the read-mostly workload: readers sessions read post
// pages while one session writes comments and reads them back. It then
// counts, on both servers, where the pages were read.
func readMostly(c *checker.Check, routes func() Session, admin *pgxpool.Pool, f *facts) {
	ctx := c.Ctx()
	before := countPages(c, admin)
	writer := routes()
	body, err := f.writeOwn(ctx, writer, c.Seed())
	c.RequireNoError("the writer's first comment (Write)", err)
	_, err = f.sawOwn(ctx, writer, body)
	c.RequireNoError("the writer reads its comments (Read)", err)

	var done atomic.Bool
	var wrong atomic.Int64
	var firstWrong atomic.Value
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // writes while the readers read: a router that sends every session to the primary after any write fails here
		defer wg.Done()
		for !done.Load() && ctx.Err() == nil {
			if body, err := f.writeOwn(ctx, writer, c.Seed()); err == nil {
				f.sawOwn(ctx, writer, body)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	out := checker.RunConcurrently(ctx, readers, func(ctx context.Context, i int) error {
		s := routes()
		want := f.pages[i]
		for range readsEach {
			rows, err := s.Read(ctx, pageQuery, want.post)
			if err != nil {
				return err
			}
			if !(len(rows) == 1 && len(rows[0]) == 2 && rows[0][0] == want.title && rows[0][1] == want.comments) {
				if wrong.Add(1) == 1 {
					firstWrong.Store(fmt.Sprintf("post %d: got %v, want [[%q %d]]", want.post, rows, want.title, want.comments))
				}
			}
		}
		return nil
	}, checker.WithTimeout(30*time.Second))
	done.Store(true)
	wg.Wait()

	msg := fmt.Sprintf("%d sessions read %s post pages, every one right", readers, checker.FormatCount(readers*readsEach))
	ok := out.Succeeded == readers && wrong.Load() == 0
	switch {
	case out.Succeeded != readers:
		msg = "Read failed while the replica was up: " + out.String()
	case !ok:
		msg = fmt.Sprintf("%d of %d page reads returned other rows than the page (%s): Read must return the query's rows",
			wrong.Load(), readers*readsEach, firstWrong.Load())
	}
	c.Assert("the workload's reads return the page", ok, msg, checker.Evidence{Counts: out.Counts()})
	assertShare(c, before, countPages(c, admin))
}

// served is how many times each server ran the page query for the
// check's role, as pg_stat_statements counted.
type served struct{ primary, replica int64 }

// countPages reads the page query's calls on both servers. The counts
// are the servers' own: nothing the learner's code sends can lower them.
func countPages(c *checker.Check, replica *pgxpool.Pool) served {
	var s served
	const calls = `SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
		WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = current_user)
		AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND strpos(query, $1) > 0`
	c.RequireNoError("count the page reads on the primary (pg_stat_statements)", c.Admin().QueryRow(c.Ctx(), calls, pageMarker).Scan(&s.primary))
	c.RequireNoError("count the page reads on the replica (pg_stat_statements)", replica.QueryRow(c.Ctx(), calls, pageMarker).Scan(&s.replica))
	return s
}

// assertShare: the replica served at least minShare of the workload's
// page reads, and the primary at most the rest. Both counts are the
// servers' own; reading on the primary while sending the same query to
// the replica as well only adds to the primary's.
func assertShare(c *checker.Check, before, after served) {
	onPrimary, onReplica := after.primary-before.primary, after.replica-before.replica
	asked := int64(readers * readsEach)
	least := asked * minShare / 100
	most := asked - least + asked*fallbackShare/100
	ok := onReplica >= least && onPrimary <= most
	pct := func(n int64) float64 { return 100 * float64(n) / float64(asked) }
	msg := fmt.Sprintf("of the %s page reads, the replica served %s (%.0f%%) and the primary %s: the primary keeps its strength for writes",
		checker.FormatCount(asked), checker.FormatCount(onReplica), pct(onReplica), checker.FormatCount(onPrimary))
	if !ok {
		msg = fmt.Sprintf("the servers say that of the %s page reads the replica served %s (%.0f%%) and the primary %s (%.0f%%); "+
			"at least %d%% belong on the replica, and no more than %d%% on the primary. Sessions that have not written "+
			"anything can read the replica; only a session's reads after its own write need the primary",
			checker.FormatCount(asked), checker.FormatCount(onReplica), pct(onReplica), checker.FormatCount(onPrimary), pct(onPrimary),
			minShare, 100-minShare+fallbackShare)
	}
	c.Assert("reads served by the replica", ok, msg, checker.Evidence{Counts: map[string]int64{
		"page_reads_on_primary": onPrimary, "page_reads_on_replica": onReplica, "page_reads_asked": asked}})
}

// readYourWrites: a session writes a comment and reads its comments at
// once, rounds times; another session reads the same comments right
// after. The writer must see each of its comments, within budget; the
// other session may read the replica and miss them.
func readYourWrites(c *checker.Check, routes func() Session, f *facts) {
	ctx := c.Ctx()
	writer, other := routes(), routes()
	var stale, otherStale, done int
	var slowest time.Duration
	var comments int64 // on the post, as the primary has them
	c.RequireNoError("count the post's comments", c.Admin().QueryRow(ctx, countQuery, f.post).Scan(&comments))
	for range rounds {
		start := time.Now()
		body, err := f.writeOwn(ctx, writer, c.Seed())
		c.RequireNoError("a session writes a comment (Write)", err)
		saw, err := f.sawOwn(ctx, writer, body)
		took := time.Since(start)
		c.RequireNoError("the session reads its comments (Read)", err)
		comments++
		// Its next read, of another shape, must see the write too: where a
		// read goes depends on the session, not on the query.
		rows, err := writer.Read(ctx, countQuery, f.post)
		c.RequireNoError("the session counts the post's comments (Read)", err)
		done++
		slowest = max(slowest, took)
		if !saw || !(len(rows) == 1 && len(rows[0]) == 1 && rows[0][0] == comments) {
			stale++
		}
		if saw, err := f.sawOwn(ctx, other, body); err == nil && !saw {
			otherStale++
		}
		if took > budget {
			break // one is enough, and each takes long
		}
	}
	ev := checker.Evidence{Counts: map[string]int64{"rounds": int64(done), "stale_own_reads": int64(stale),
		"other_session_stale_reads": int64(otherStale), "slowest_ms": slowest.Milliseconds()}}
	others := fmt.Sprintf("Meanwhile another session read the same comments right after each write and missed %d of %d: it had written nothing, so the replica, %s behind, was good enough for it", otherStale, done, f.lag)
	if otherStale == 0 {
		others = "Another session reading the same comments saw every new one: its reads went to the primary too"
	}
	msg := fmt.Sprintf("the session saw each of its %d comments in the read right after writing it. %s", done, others)
	if stale > 0 {
		msg = fmt.Sprintf("in %d of %d rounds, a read right after the session's own write missed that write (its comments, "+
			"then the post's comment count): it was served by the replica, "+
			"which applies each commit %s late here. After a session writes, read on the primary until the replica "+
			"has replayed the write's LSN", stale, done, f.lag)
	}
	c.Assert("a session reads its own writes", stale == 0, msg, ev)
	msg = fmt.Sprintf("the slowest write and read of it took %s, within %s", slowest.Round(time.Millisecond), budget)
	if slowest > budget {
		msg = fmt.Sprintf("a write and the read of it took %s, more than %s; the replica is %s behind, so waiting for it "+
			"(or sleeping until it has caught up) makes the user wait as long. Read on the primary instead, "+
			"or wait for the replica only briefly", slowest.Round(time.Millisecond), budget, f.lag)
	}
	c.Assert("a read after a write within 500 ms", slowest <= budget, msg, ev)
}
