package sandbox

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// startExternal checks the servers given by URL. Nothing is started, so
// Stop has nothing to remove. When more Postgres servers are wanted than
// URLs were given, the URLs are used in turn (each check still gets its own
// databases).
func startExternal(ctx context.Context, cfg Config) (*Env, error) {
	if len(cfg.PostgresURLs) == 0 || cfg.RedisURL == "" {
		return nil, &UsageError{Msg: "the external environment needs both --pg-url (DBLINGS_PG_URL) and --redis-url (DBLINGS_REDIS_URL)"}
	}
	if err := validateURLs(cfg); err != nil {
		return nil, err
	}
	env := &Env{Provider: External}
	for i := 0; i < cfg.PostgresServers; i++ {
		u := cfg.PostgresURLs[i%len(cfg.PostgresURLs)]
		version, err := pingPostgres(ctx, u)
		if err != nil {
			return nil, &StartError{Provider: External, Server: "postgres", Err: err}
		}
		env.Postgres = append(env.Postgres, Server{URL: u, Version: version})
	}
	if cfg.ReplicaURL != "" {
		version, err := pingPostgres(ctx, cfg.ReplicaURL)
		if err != nil {
			return nil, &StartError{Provider: External, Server: "replica", Err: err}
		}
		if err := requireStandbyOf(ctx, env.Postgres[0].URL, cfg.ReplicaURL); err != nil {
			return nil, err
		}
		env.Replica = &Server{URL: cfg.ReplicaURL, Version: version}
	}
	version, err := pingRedis(ctx, cfg.RedisURL)
	if err != nil {
		return nil, &StartError{Provider: External, Server: "redis", Err: err}
	}
	env.Redis = Server{URL: cfg.RedisURL, Version: version}
	if cfg.Workspace != "" {
		// Kept by "dblings env up": nothing was started, but a marker names
		// the keeper, so "env down" can find it without env.json.
		marker, err := newLocalEnv(externalMarkerPrefix, cfg.Workspace)
		if err != nil {
			if marker != nil {
				_ = marker.stop(ctx)
			}
			return nil, &StartError{Provider: External, Server: "servers", Err: fmt.Errorf("record the keeper: %w", err)}
		}
		env.stop = marker.stop
	}
	return env, nil
}

// externalMarkerPrefix names the marker directory of a kept external
// environment: an owner.json with the keeper and the workspace, and no
// servers. The local provider's reaper removes it once the keeper is gone.
const externalMarkerPrefix = "dblings-external-"

// validateURLs rejects malformed URLs before anything touches the network.
func validateURLs(cfg Config) error {
	urls := cfg.PostgresURLs
	if cfg.ReplicaURL != "" {
		urls = append(slices.Clone(urls), cfg.ReplicaURL)
	}
	for _, u := range urls {
		if _, err := pgx.ParseConfig(u); err != nil {
			return &UsageError{Msg: fmt.Sprintf("malformed Postgres URL %q: %v", redact(u), err)}
		}
	}
	if _, err := redis.ParseURL(cfg.RedisURL); err != nil {
		return &UsageError{Msg: fmt.Sprintf("malformed Redis URL %q: %v", redact(cfg.RedisURL), err)}
	}
	return nil
}

// pingPostgres connects and runs a real query; it returns the server version.
func pingPostgres(ctx context.Context, rawURL string) (string, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return "", &UsageError{Msg: fmt.Sprintf("malformed Postgres URL %q: %v", redact(rawURL), err)}
	}
	// Generous: ten learners' checks starting at once on a shared server
	// each authenticate (SCRAM), and 5 s ran out on a loaded machine.
	cfg.ConnectTimeout = 15 * time.Second
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return "", fmt.Errorf("cannot reach %s: %w", redact(rawURL), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var version string
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version')").Scan(&version); err != nil {
		return "", fmt.Errorf("query %s: %w", redact(rawURL), err)
	}
	version, _, _ = strings.Cut(version, " ") // "15.20 (Debian 15.20-0+deb12u1)"
	return version, nil
}

// requireStandbyOf makes sure that replicaURL is a server in recovery
// whose data comes from primaryURL's: a replica lesson run against any
// other server would judge reads against data that never came from the
// writes. Both servers of one cluster share its system identifier, set
// by initdb and kept by every base backup taken from it.
func requireStandbyOf(ctx context.Context, primaryURL, replicaURL string) error {
	var inRecovery bool
	replicaID, err := systemIdentifier(ctx, replicaURL, &inRecovery)
	if err != nil {
		return &StartError{Provider: External, Server: "replica", Err: err}
	}
	if !inRecovery {
		return &UsageError{Msg: fmt.Sprintf("--replica-url %s is not a standby: the server is not in recovery (pg_is_in_recovery() is false); "+
			"give the URL of a streaming replica of the first --pg-url server", redact(replicaURL))}
	}
	primaryID, err := systemIdentifier(ctx, primaryURL, new(bool))
	if err != nil {
		return &StartError{Provider: External, Server: "postgres", Err: err}
	}
	if replicaID != primaryID {
		return &UsageError{Msg: fmt.Sprintf("--replica-url %s is a standby of another server: its system identifier is %d, and the first --pg-url server's (%s) is %d; "+
			"give the URL of a streaming replica of that server", redact(replicaURL), replicaID, redact(primaryURL), primaryID)}
	}
	return nil
}

// systemIdentifier reads the cluster's system identifier and whether the
// server is in recovery.
func systemIdentifier(ctx context.Context, rawURL string, inRecovery *bool) (uint64, error) {
	conn, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		return 0, fmt.Errorf("cannot reach %s: %w", redact(rawURL), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var id int64
	err = conn.QueryRow(ctx, "SELECT system_identifier, pg_is_in_recovery() FROM pg_control_system()").Scan(&id, inRecovery)
	if err != nil {
		return 0, fmt.Errorf("read the system identifier of %s: %w", redact(rawURL), err)
	}
	return uint64(id), nil
}

// pingRedis sends PING and reads the server version.
func pingRedis(ctx context.Context, rawURL string) (string, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return "", &UsageError{Msg: fmt.Sprintf("malformed Redis URL %q: %v", redact(rawURL), err)}
	}
	opts.DialTimeout = 15 * time.Second
	opts.MaxRetries = -1
	client := redis.NewClient(opts)
	defer client.Close()
	if err := client.Ping(ctx).Err(); err != nil {
		return "", fmt.Errorf("cannot reach %s: %w", redact(rawURL), err)
	}
	info, err := client.InfoMap(ctx, "server").Result()
	if err != nil {
		return "", fmt.Errorf("INFO on %s: %w", redact(rawURL), err)
	}
	return info["Server"]["redis_version"], nil
}

// redact hides the password of a URL for messages.
func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
