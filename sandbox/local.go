package sandbox

import (
	"context"
	"errors"
)

type localBinaries struct{}

func findLocalBinaries() (localBinaries, error) { return localBinaries{}, errors.New("not implemented") }

func startLocal(ctx context.Context, cfg Config) (*Env, error) {
	return nil, errors.New("local provider not implemented yet")
}
