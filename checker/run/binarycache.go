package run

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/dblings/dblings/internal/files"
)

// The check binaries of the last checks are kept, so that a check whose
// code did not change is not linked again: the same answer checked twice,
// a solution that verify, prepare and grade each build, a grade right after
// a check. The go command decides: a build whose output file already holds
// a binary of the same inputs (its build ID says so) ends without linking,
// which was 1.25 s of a 1.6 s compile. A slot is chosen by a fingerprint of
// the overlay, so that answers checked in turn do not take each other's
// slot; a slot that holds another build is simply linked again. Builds
// are -trimpath, so the same code in two workspaces is the same binary.
//
// The binaries are copied out of the cache into the check's folder, never
// linked: an isolated check hands its binary to another user, who must not
// be able to change what later checks run.

// cachedBinaries bounds the slots kept (a check binary is about 13 MB).
const cachedBinaries = 24

// binaryCache is a folder of slots, each a binary and its lock file.
type binaryCache struct{ dir string }

// openBinaryCache returns the cache in the user's cache folder, or false
// when there is none (the check is then built straight into its folder).
func openBinaryCache() (binaryCache, bool) {
	base, err := os.UserCacheDir()
	if err != nil {
		return binaryCache{}, false
	}
	dir := filepath.Join(base, "dblings", "check-binaries")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return binaryCache{}, false
	}
	return binaryCache{dir: dir}, true
}

// slot locks the slot of key, waiting for another process building it, and
// returns the binary's path there and how to unlock it.
func (c binaryCache) slot(ctx context.Context, key string) (string, func(), error) {
	lock := flock.New(filepath.Join(c.dir, key+".lock"))
	ok, err := lock.TryLockContext(ctx, 20*time.Millisecond)
	if !ok {
		return "", nil, fmt.Errorf("lock the cached check binary: %w", err)
	}
	return filepath.Join(c.dir, key+".test"), func() { _ = lock.Unlock() }, nil
}

// take copies the built binary of a slot to dst and marks the slot used.
func (c binaryCache) take(slot, dst string) error {
	if err := files.Copy(slot, dst, 0o755); err != nil {
		return fmt.Errorf("copy the check binary out of the cache: %w", err)
	}
	now := time.Now()
	_ = os.Chtimes(slot, now, now)
	return nil
}

// prune removes the least recently used slots beyond cachedBinaries,
// passing over any that another process holds.
func (c binaryCache) prune() {
	binaries, err := filepath.Glob(filepath.Join(c.dir, "*.test"))
	if err != nil || len(binaries) <= cachedBinaries {
		return
	}
	used := map[string]time.Time{}
	for _, b := range binaries {
		if fi, err := os.Stat(b); err == nil {
			used[b] = fi.ModTime()
		}
	}
	sort.Slice(binaries, func(i, j int) bool { return used[binaries[i]].After(used[binaries[j]]) })
	for _, b := range binaries[cachedBinaries:] {
		lock := flock.New(strings.TrimSuffix(b, ".test") + ".lock")
		if ok, err := lock.TryLock(); ok && err == nil {
			_ = os.Remove(b)
			_ = lock.Unlock()
		}
	}
}

// fingerprint names the overlay's slot: the files it lays over the
// workspace, what it hides, and the build's flags.
func (ov overlay) fingerprint(flags []string) string {
	h := sha256.New()
	targets := make([]string, 0, len(ov))
	for t := range ov {
		targets = append(targets, t)
	}
	slices.Sort(targets)
	for _, t := range targets {
		l := ov[t]
		fmt.Fprintf(h, "%s\x00%t\x00%d\x00", t, l.hide, len(l.content))
		h.Write(l.content)
	}
	fmt.Fprintf(h, "%q", flags)
	return hex.EncodeToString(h.Sum(nil))[:32]
}
