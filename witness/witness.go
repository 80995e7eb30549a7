// Package witness is a check's second witness. Its code is compiled into
// dblings and never into the check binary: it looks at the servers with the
// superuser's connections, which the learner's process never sees, once
// before the check runs and once after the check binary has ended, and
// re-establishes the lesson's decisive facts from the databases themselves
// (plans, the catalog, table statistics, the final rows, Redis keys).
// Before, it may also set the scene with what the learner's role must
// neither own nor forge: lesson 16's application, lesson 17's decoy in
// another database, lesson 18's backups.
//
// The check's own report gives the rich evidence and the messages; the
// witness decides whether that report can be believed. The runner passes a
// check only when both agree.
//
// Each lesson declares its witness in its own folder (lessons/NN-id/
// witness.go), and lessons/witnesses maps lesson ids to them.
package witness

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// Witness watches one run of a lesson's check. It is called on the fresh
// databases before the check binary starts, and returns the Judge that
// looks at them after it has ended. What it saw before stays in the
// Judge's closure.
type Witness func(ctx context.Context, s *Scene) (Judge, error)

// Judge states the facts the databases show after the check. Its error is
// for a failure to look (a lost connection), never for a wrong answer.
type Judge func(ctx context.Context) ([]Fact, error)

// BeforeAndAfter is the Witness of a lesson that judges what the check did
// to one database: look reads the clone on server 0 before the check, and
// what it returns is kept for judge, which reads the clone again after the
// check and states the facts against it. Each runs on a superuser
// connection of its own, closed when it returns; judge gets the context of
// the Judge's call.
//
// Why: almost every lesson's witness has this shape, and writing it out
// each time wrapped the few lines that say what the lesson looks at and how
// it judges in the same two connections and closures. Written once here, a
// lesson's witness is only its look and its judgement.
func BeforeAndAfter[T any](ctx context.Context, s *Scene,
	look func(ctx context.Context, conn *pgx.Conn) (T, error),
	judge func(ctx context.Context, conn *pgx.Conn, before T) ([]Fact, error),
) (Judge, error) {
	var before T
	err := s.With(ctx, 0, func(conn *pgx.Conn) (err error) {
		before, err = look(ctx, conn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (facts []Fact, err error) {
		err = s.With(ctx, 0, func(conn *pgx.Conn) error {
			facts, err = judge(ctx, conn, before)
			return err
		})
		return facts, err
	}, nil
}

// Fact is one thing the witness established; Message says it to the
// learner, whether it holds or not.
type Fact struct {
	Name    string
	OK      bool
	Message string
}

// Holds is a Fact from a condition and the two ways of saying it.
func Holds(name string, ok bool, yes, no string) Fact {
	if ok {
		return Fact{Name: name, OK: true, Message: yes}
	}
	return Fact{Name: name, Message: no}
}

// Scene is one check's databases, as the superuser sees them.
type Scene struct {
	// Postgres are the superuser URLs of the check's clones, in server order.
	Postgres []string
	// Role is the Postgres role the learner's code connected as.
	Role string
	// Redis is the superuser URL of the check's Redis logical database;
	// empty when the lesson uses no Redis.
	Redis string
	// Replica is the superuser URL of the first clone (Postgres[0]) on the
	// streaming replica, for a lesson that declares one; "" otherwise. A
	// witness reads there what the replica served (pg_stat_statements
	// counts the statements each server ran).
	Replica string
	// Seed is the seed of the fixture's data (fixtures.FixedSeed in check),
	// for a witness that regenerates what the data should hold.
	Seed uint64
	// Vault is the check's backup vault, for a lesson that declares
	// archive (its databases are then on the archiving server); nil
	// otherwise.
	Vault Vault
}

// Vault is the runner's side of a restore lesson's backups, as its witness
// sees them: the witness takes the base backups the learner restores from
// while it sets the scene, and afterwards judges what was restored.
type Vault interface {
	// TakeBackup takes a base backup of the check's server now, under the
	// name the learner's code will see.
	TakeBackup(ctx context.Context, name string) error
	// Restores are the servers restored for the learner's code, in order.
	Restores() []Restore
	// Replica is the superuser URL of the check's database on the streaming
	// replica the learner's code asked for, or "" if it asked for none.
	Replica() string
}

// Restore is one server the vault restored for the learner's code. It
// runs until the witness has judged.
type Restore struct {
	Backup string
	Target time.Time
	Took   time.Duration
	// URL is what the learner's code was given: the check's database on
	// the restored server, as its role.
	URL string
	// Admin is the same database as the superuser.
	Admin string
}

// Connect opens a superuser connection to the clone on server i. The
// caller closes it.
func (s *Scene) Connect(ctx context.Context, i int) (*pgx.Conn, error) {
	if i < 0 || i >= len(s.Postgres) {
		return nil, fmt.Errorf("the check has %d Postgres databases, not %d", len(s.Postgres), i+1)
	}
	return pgx.Connect(ctx, s.Postgres[i])
}

// Each runs fn with a superuser connection to every clone in turn.
func (s *Scene) Each(ctx context.Context, fn func(i int, conn *pgx.Conn) error) error {
	for i := range s.Postgres {
		if err := s.With(ctx, i, func(conn *pgx.Conn) error { return fn(i, conn) }); err != nil {
			return err
		}
	}
	return nil
}

// With runs fn with a superuser connection to the clone on server i.
func (s *Scene) With(ctx context.Context, i int, fn func(conn *pgx.Conn) error) error {
	conn, err := s.Connect(ctx, i)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return fn(conn)
}

// RedisClient opens a client on the check's Redis database as an
// administrator. The caller closes it.
func (s *Scene) RedisClient() (*redis.Client, error) {
	if s.Redis == "" {
		return nil, fmt.Errorf("the lesson uses no Redis: its lesson.toml does not ask for it")
	}
	opts, err := redis.ParseURL(s.Redis)
	if err != nil {
		return nil, err
	}
	return redis.NewClient(opts), nil
}
