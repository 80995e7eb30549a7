package sandbox

import (
	"context"
	"errors"
)

// DockerAvailable reports whether a Docker engine answers.
func DockerAvailable(ctx context.Context) error { return errors.New("not implemented") }

func startDocker(ctx context.Context, cfg Config) (*Env, error) {
	return nil, errors.New("docker provider not implemented yet")
}
