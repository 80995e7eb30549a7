package sandbox

import (
	"context"
	"time"

	cerrdefs "github.com/containerd/errdefs"
)

// Images are the images the docker provider starts for c: Postgres, then
// Redis.
func (c Config) Images() []string {
	return []string{orDefault(c.PostgresImage, DefaultPostgresImage), orDefault(c.RedisImage, DefaultRedisImage)}
}

// ImagePresent reports whether the Docker engine holds the image ref
// already, so that starting it needs no registry. It never pulls.
func ImagePresent(ctx context.Context, ref string) (bool, error) {
	cli, err := dockerClient()
	if err != nil {
		return false, err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err = cli.ImageInspect(ctx, ref)
	if cerrdefs.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}
