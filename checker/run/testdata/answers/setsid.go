package runner

import (
	"context"
	"fmt"
	"os/exec"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CountUsers counts right, and leaves two processes behind: one in a
// session of its own (setsid), one in the check's process group.
func CountUsers(ctx context.Context, db *pgxpool.Pool) (int64, error) {
	away := exec.Command("sleep", "300")
	away.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	near := exec.Command("sleep", "300")
	for _, cmd := range []*exec.Cmd{away, near} {
		if err := cmd.Start(); err != nil {
			return 0, err
		}
		fmt.Printf("left behind: pid %d\n", cmd.Process.Pid)
	}
	var n int64
	err := db.QueryRow(ctx, "SELECT count(*) FROM users").Scan(&n)
	return n, err
}
