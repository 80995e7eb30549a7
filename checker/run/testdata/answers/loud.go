package runner

import (
	"bufio"
	"context"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers prints 200 MB before it counts (a debugging print in a loop).
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	line := "row " + strings.Repeat("x", 95) + "\n" // 100 bytes
	for range 2_000_000 {
		w.WriteString(line)
	}
	w.Flush()
	var n int64
	err := db.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
