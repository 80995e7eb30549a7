package tui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The lab's targets (issue 5): the first frame at once whatever the servers
// are doing, nothing burnt while the learner reads, a small footprint.
const (
	targetFirstFrame = 300 * time.Millisecond
	targetIdleCPU    = 1.0 // percent of one core
	targetRSS        = 60  // MB
)

// BenchmarkLab launches the real binary in an 80×24 tmux terminal and
// measures, per launch: the time from starting the process to the first
// frame on the terminal, the CPU it uses while idle once the servers are up,
// and its resident memory then.
func BenchmarkLab(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	bin, ws := buildBinary(b), copyWorkspace(b)
	var frame time.Duration
	var cpu, rss, peak float64
	for range b.N {
		f, c, r, p := launch(b, bin, ws)
		frame += f
		cpu += c
		rss += r
		peak = max(peak, p)
	}
	n := float64(b.N)
	b.ReportMetric(0, "ns/op") // one launch's wall time says nothing
	b.ReportMetric(float64(frame.Milliseconds())/n, "first-frame-ms")
	b.ReportMetric(cpu/n, "idle-cpu-%")
	b.ReportMetric(rss/n, "rss-MB")
	b.ReportMetric(peak, "peak-rss-MB")
	if avg := frame / time.Duration(b.N); avg > targetFirstFrame {
		b.Errorf("first frame after %s on average, target %s", avg, targetFirstFrame)
	}
	if cpu/n > targetIdleCPU {
		b.Errorf("idle CPU %.2f%%, target %.1f%%", cpu/n, targetIdleCPU)
	}
	if rss/n > targetRSS {
		b.Errorf("resident memory %.1f MB, target %d MB", rss/n, targetRSS)
	}
}

// launch runs the lab once and quits it.
func launch(b *testing.B, bin, ws string) (frame time.Duration, idleCPU, rssMB, peakMB float64) {
	b.Helper()
	// dblings starts on Enter, once the terminal's output is recorded.
	term := startTerminal(b, ws, true, bin, "--workspace", ws)
	out := filepath.Join(b.TempDir(), "out")
	term.tmux("pipe-pane", "-t", term.target, "-o", "cat > "+shellQuote([]string{out}))
	time.Sleep(100 * time.Millisecond)

	start := time.Now()
	term.keys("Enter")
	for {
		if data, _ := os.ReadFile(out); bytes.Contains(data, []byte("› Lessons")) {
			frame = time.Since(start)
			break
		}
		if time.Since(start) > 10*time.Second {
			b.Fatalf("no frame after 10s:\n%s", term.screen())
		}
		time.Sleep(time.Millisecond)
	}

	// Idle: the servers are up (or have failed) and nobody types.
	deadline := time.Now().Add(3 * time.Minute)
	for s := term.screen(); !strings.Contains(s, "· ready") && !strings.Contains(s, "· failed"); s = term.screen() {
		if time.Now().After(deadline) {
			b.Fatalf("the servers did not start:\n%s", s)
		}
		time.Sleep(100 * time.Millisecond)
	}
	pid := term.pid()
	time.Sleep(time.Second)
	const window = 5 * time.Second
	before := cpuTicks(b, pid)
	time.Sleep(window)
	idleCPU = float64(cpuTicks(b, pid)-before) / 100 / window.Seconds() * 100
	rssMB, peakMB = memoryMB(b, pid, "VmRSS:"), memoryMB(b, pid, "VmHWM:")

	term.keys("q")
	if status := term.exitStatus(time.Minute); status != 0 {
		b.Fatalf("dblings exited with status %d", status)
	}
	return frame, idleCPU, rssMB, peakMB
}

// cpuTicks is the user and system time of a process, in the kernel's
// USER_HZ ticks, which /proc always reports at 100 per second.
func cpuTicks(b *testing.B, pid int) int64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The command name, in parentheses, may hold spaces: count after it.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime
}

// memoryMB reads one kB figure of /proc/<pid>/status, in MB.
func memoryMB(b *testing.B, pid int, field string) float64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	b.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
