package sandbox

import (
	"context"
	"fmt"
)

// Start returns a ready environment: every server has answered a real query
// (Postgres) or PING (Redis). On error, the returned Env (possibly nil) still
// owns whatever was started, and Stop removes it.
func Start(ctx context.Context, cfg Config) (*Env, error) {
	if cfg.PostgresServers < 1 {
		cfg.PostgresServers = 1
	}
	provider, err := choose(ctx, cfg)
	if err != nil {
		return nil, err
	}
	switch provider {
	case External:
		return startExternal(ctx, cfg)
	case Docker:
		return startDocker(ctx, cfg)
	case Local:
		return startLocal(ctx, cfg)
	}
	return nil, fmt.Errorf("provider %q has no implementation", provider)
}

// choose applies the selection order: the configured provider, then
// external when URLs are set, then docker when an engine answers, then local
// when the binaries are found.
func choose(ctx context.Context, cfg Config) (Provider, error) {
	if cfg.Provider != "" {
		return cfg.Provider, nil
	}
	if len(cfg.PostgresURLs) > 0 || cfg.RedisURL != "" {
		return External, nil
	}
	var tried []string
	if err := DockerAvailable(ctx); err == nil {
		return Docker, nil
	} else {
		tried = append(tried, "docker: "+err.Error())
	}
	if _, err := findLocalBinaries(); err == nil {
		return Local, nil
	} else {
		tried = append(tried, "local: "+err.Error())
	}
	return "", &UnavailableError{Tried: tried}
}

// Choose reports which provider auto-selection would pick, for doctor.
func Choose(ctx context.Context, cfg Config) (Provider, error) { return choose(ctx, cfg) }
