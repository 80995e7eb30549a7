package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers looks for the judge's credentials where a process of the same
// OS user could find them: a file of the dblings user (its path in
// SNOOP_FILE) and the environment of every process on the machine. It
// reports what it found, or could not read, as its error.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	var outcomes []string
	if data, err := os.ReadFile(os.Getenv("SNOOP_FILE")); err != nil {
		outcomes = append(outcomes, "file => "+errors.Unwrap(err).Error())
	} else if strings.Contains(string(data), "judge-secret") {
		outcomes = append(outcomes, "found the judge's secret in the file")
	}
	environs, _ := filepath.Glob("/proc/[0-9]*/environ")
	readable := 0
	for _, p := range environs {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		readable++
		if strings.Contains(string(data), "judge-secret") {
			outcomes = append(outcomes, "found the judge's secret in "+p)
		}
	}
	outcomes = append(outcomes, fmt.Sprintf("read the environment of %d of %d processes", readable, len(environs)))
	return 0, errors.New(strings.Join(outcomes, "; "))
}
