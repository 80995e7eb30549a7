package run

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"

	"github.com/dblings/dblings/fixtures"
)

// learnerRolePrefix names the roles the learner's code connects as. Such a
// role owns one check's clone and the tables in it, and nothing else: no
// superuser, no CREATEDB, no CREATEROLE. It is dropped with the clone; one
// that owns no database any more is an orphan of a killed check, dropped by
// the next check on that server.
const learnerRolePrefix = "dbl_learner_"

// learnerRole is the unprivileged role of one check on one server.
type learnerRole struct {
	name string
	url  string // the clone's URL with the role's name and password
}

// grantClone makes a role for the check's clone on the server at adminURL
// and hands it the clone: the database and every table, view and sequence
// in its public schema, so that a lesson can CREATE INDEX or add a column
// on its own tables and nothing more. Nobody else may connect to the clone
// (Postgres lets every role connect to every database by default): on a
// server a room shares, one learner's code cannot open another's check.
func grantClone(ctx context.Context, admin *session, clone *fixtures.Database) (*learnerRole, error) {
	secret, err := randomHex(12)
	if err != nil {
		return nil, err
	}
	password, err := randomHex(24)
	if err != nil {
		return nil, err
	}
	role := learnerRolePrefix + secret
	roleURL, err := withUser(clone.URL, role, password)
	if err != nil {
		return nil, err
	}
	// The role and its database are made in one transaction, so that no
	// sweep of orphan roles ever sees the role without its database.
	err = admin.do(ctx, func(conn *pgx.Conn) error {
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			stmts := []string{
				fmt.Sprintf(`CREATE ROLE %s LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %s`,
					pgx.Identifier{role}.Sanitize(), quoteLiteral(password)),
				fmt.Sprintf(`ALTER DATABASE %s OWNER TO %s`, pgx.Identifier{clone.Name}.Sanitize(), pgx.Identifier{role}.Sanitize()),
				fmt.Sprintf(`REVOKE ALL ON DATABASE %s FROM PUBLIC`, pgx.Identifier{clone.Name}.Sanitize()),
			}
			for _, s := range stmts {
				if _, err := tx.Exec(ctx, s); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("create the check's own role (the server's URL must be a superuser's): %w", err)
	}
	if err := withConn(ctx, clone.URL, func(conn *pgx.Conn) error {
		// A DO block takes no parameters: the role's name travels in a
		// session setting.
		if _, err := conn.Exec(ctx, "SELECT set_config('dblings.role', $1, false)", role); err != nil {
			return err
		}
		_, err := conn.Exec(ctx, handOverTables)
		return err
	}); err != nil {
		return nil, fmt.Errorf("hand the check's tables to its role: %w", err)
	}
	return &learnerRole{name: role, url: roleURL}, nil
}

// handOverTables gives every table, view and free-standing sequence of the
// public schema to the role named by the setting dblings.role (a sequence
// that belongs to a column follows its table).
const handOverTables = `DO $$
DECLARE r record;
BEGIN
	FOR r IN
		SELECT c.oid::regclass AS rel, c.relkind
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
		AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
	LOOP
		EXECUTE format('ALTER %s %s OWNER TO %I',
			CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
			r.rel, current_setting('dblings.role'));
	END LOOP;
END $$`

// dropLearnerRoles drops the learner roles on the server of the superuser
// session conn that own no database: the check's own after its clone is
// gone, and those of checks that were killed.
func dropLearnerRoles(ctx context.Context, conn *pgx.Conn) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// One sweep at a time on a server: two sweeps dropping the same
		// role at once fail with "tuple concurrently deleted", even
		// with IF EXISTS.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", sweepLockKey); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT rolname FROM pg_roles r
				WHERE starts_with(rolname, $1)
				AND NOT EXISTS (SELECT 1 FROM pg_database d WHERE d.datdba = r.oid)`, learnerRolePrefix)
		if err != nil {
			return err
		}
		roles, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, role := range roles {
			if _, err := tx.Exec(ctx, "DROP ROLE IF EXISTS "+pgx.Identifier{role}.Sanitize()); err != nil {
				return err
			}
		}
		return nil
	})
}

// sweepLockKey is the advisory lock that serializes sweeps of learner roles
// on one server ("dblrole" in ASCII).
const sweepLockKey int64 = 0x64626c726f6c65

func withConn(ctx context.Context, rawURL string, fn func(*pgx.Conn) error) error {
	conn, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return fn(conn)
}

// withUser puts a user and password into a connection URL.
func withUser(rawURL, user, password string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("the check database's URL cannot be read: %w", err)
	}
	u.User = url.UserPassword(user, password)
	return u.String(), nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// quoteLiteral quotes a string for SQL; the passwords here are hex, so this
// is belt and braces.
func quoteLiteral(s string) string { return "'" + s + "'" }
