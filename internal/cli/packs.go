package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/dblings/dblings/internal/pack"
	"github.com/dblings/dblings/lessons"
	"github.com/dblings/dblings/workspace"
)

// SettingsFile is the workspace's settings, at its root. Example:
//
//	packs = ["../workshop-pack"]   # relative to the workspace
const SettingsFile = "dblings.toml"

type settings struct {
	Packs []string `toml:"packs"`
}

// loadPacks loads the packs of --pack, then those of the workspace's
// settings file (when there is a workspace), each folder once.
func (f *Factory) loadPacks() ([]*pack.Pack, error) {
	dirs := append([]string{}, f.packDirs...)
	if root, err := workspace.Locate(f.workspaceDir); err == nil {
		fromSettings, err := readSettings(root)
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
		dirs = append(dirs, fromSettings...)
	}
	var packs []*pack.Pack
	seen := map[string]bool{}
	for _, dir := range dirs {
		p, err := pack.Load(dir)
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err}
		}
		if !seen[p.Dir] {
			seen[p.Dir] = true
			packs = append(packs, p)
		}
	}
	return packs, nil
}

// readSettings reads the packs of the workspace's settings file, made
// absolute; a missing file has none.
func readSettings(root string) ([]string, error) {
	path := filepath.Join(root, SettingsFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s settings
	meta, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if undecoded := meta.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("%s: unknown keys: %s (it knows packs)", path, strings.Join(keys, ", "))
	}
	for i, dir := range s.Packs {
		if !filepath.IsAbs(dir) {
			s.Packs[i] = filepath.Join(root, dir)
		}
	}
	return s.Packs, nil
}

// packLessons are the lessons of the packs, in catalog order.
func (f *Factory) packLessons() lessons.Catalog {
	var out lessons.Catalog
	for _, p := range f.packs {
		out = append(out, p.Catalog...)
	}
	return out
}

// addPackStubs gives the learner the stub of every pack lesson whose files
// the workspace lacks; nothing that exists is written.
func (f *Factory) addPackStubs(ws *workspace.Workspace) {
	for _, l := range f.packLessons() {
		added, err := ws.AddMissing(l)
		if err != nil {
			fmt.Fprintln(f.IO.Err, "dblings: warning:", err)
		}
		for _, p := range added {
			fmt.Fprintf(f.IO.Err, "dblings: added %s, the stub of the pack lesson %s\n", p, l.ID)
		}
	}
}
