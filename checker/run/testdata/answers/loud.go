package runner

import (
	"bufio"
	"context"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers counts right after printing 64 MB, as a debugging print left
// in a loop does.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	w.WriteString("the first line the code printed\n")
	line := "row " + strings.Repeat("x", 95) + "\n" // 100 bytes
	for range 640_000 {
		w.WriteString(line)
	}
	w.WriteString("the last line the code printed\n")
	w.Flush()
	var n int64
	err := db.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
