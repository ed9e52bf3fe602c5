package backup

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testFile describes one file of a test tree.
type testFile struct {
	path string
	size int
	kind string // "random", "zero", "mixed" (data, zero run, data)
	mode fs.FileMode
}

var testFiles = []testFile{
	{"db/WiredTiger", 21, "random", 0o644},
	{"db/mongod.lock", 0, "zero", 0o600},
	{"db/collection-0-123.wt", 3<<20 + 17, "random", 0o600},
	{"db/index-1-123.wt", 64 << 10, "random", 0o600},
	{"db/journal/WiredTigerLog.0000000001", 4 << 20, "mixed", 0o600},
	{"db/journal/WiredTigerPreplog.0000000001", 2<<20 + 5, "zero", 0o600},
	{"db/diagnostic.data/metrics.2024-01-01T00-00-00Z-00000", 300 << 10, "random", 0o600},
	{"configdb/empty-dir-sibling.txt", 1, "random", 0o640},
	{"db/_tmp/spill.wt", 8 << 10, "random", 0o600},
}

// makeTree builds a small dbpath-like tree under root (created) with files,
// an empty directory, symlinks and distinct sub-second times.
func makeTree(t testing.TB, root string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	must(t, os.MkdirAll(filepath.Join(root, "configdb", "empty"), 0o755))
	for _, f := range testFiles {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, content(rng, f), 0o600))
		must(t, os.Chmod(p, f.mode))
	}
	must(t, os.Symlink("journal/WiredTigerLog.0000000001", filepath.Join(root, "db", "log-link")))
	must(t, os.Symlink("../configdb", filepath.Join(root, "db", "config-link")))
	must(t, os.Chmod(filepath.Join(root, "configdb"), 0o750))
	if canChown() {
		must(t, os.Lchown(filepath.Join(root, "db", "index-1-123.wt"), 1234, 5678))
		must(t, os.Lchown(filepath.Join(root, "db", "log-link"), 1234, 5678))
		must(t, os.Lchown(filepath.Join(root, "configdb"), 999, 999))
	}
	stamp(t, root)
}

// stamp gives every entry a distinct time with nanoseconds, deepest first.
func stamp(t testing.TB, root string) {
	t.Helper()
	var paths []string
	must(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		paths = append(paths, p)
		return err
	}))
	base := time.Date(2023, 5, 6, 7, 8, 9, 0, time.UTC)
	for i := len(paths) - 1; i >= 0; i-- {
		ts := base.Add(time.Duration(i)*time.Hour + time.Duration(i*7919+13)*time.Nanosecond)
		fi, err := os.Lstat(paths[i])
		must(t, err)
		if fi.Mode()&fs.ModeSymlink != 0 {
			must(t, setSymlinkTime(paths[i], ts))
			continue
		}
		must(t, os.Chtimes(paths[i], ts, ts))
	}
}

func content(rng *rand.Rand, f testFile) []byte {
	b := make([]byte, f.size)
	switch f.kind {
	case "random":
		fillRandom(rng, b)
	case "mixed":
		fillRandom(rng, b[:100<<10])
		fillRandom(rng, b[len(b)-5000:])
	}
	return b
}

func fillRandom(rng *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// compareTrees fails on any difference between two trees: set of entries,
// types, modes, times, owners, symlink targets and file bytes.
func compareTrees(t *testing.T, want, got string) {
	t.Helper()
	w, g := listTree(t, want), listTree(t, got)
	for rel, wi := range w {
		gi, ok := g[rel]
		if !ok {
			t.Errorf("%s: missing from %s", rel, got)
			continue
		}
		if wi.Mode() != gi.Mode() {
			t.Errorf("%s: mode %v, want %v", rel, gi.Mode(), wi.Mode())
		}
		if !wi.ModTime().Equal(gi.ModTime()) {
			t.Errorf("%s: mtime %v, want %v", rel, gi.ModTime(), wi.ModTime())
		}
		wu, wg := ownerOf(wi)
		gu, gg := ownerOf(gi)
		if wu != gu || wg != gg {
			t.Errorf("%s: owner %d:%d, want %d:%d", rel, gu, gg, wu, wg)
		}
		switch {
		case wi.Mode()&fs.ModeSymlink != 0:
			wl, _ := os.Readlink(filepath.Join(want, rel))
			gl, _ := os.Readlink(filepath.Join(got, rel))
			if wl != gl {
				t.Errorf("%s: link %q, want %q", rel, gl, wl)
			}
		case wi.Mode().IsRegular():
			wb, err := os.ReadFile(filepath.Join(want, rel))
			must(t, err)
			gb, err := os.ReadFile(filepath.Join(got, rel))
			must(t, err)
			if !bytes.Equal(wb, gb) {
				t.Errorf("%s: content differs (%d vs %d bytes)", rel, len(gb), len(wb))
			}
		}
	}
	for rel := range g {
		if _, ok := w[rel]; !ok {
			t.Errorf("%s: unexpected in %s", rel, got)
		}
	}
}

func listTree(t *testing.T, root string) map[string]fs.FileInfo {
	t.Helper()
	m := map[string]fs.FileInfo{}
	must(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fi, err := d.Info()
		m[filepath.ToSlash(rel)] = fi
		return err
	}))
	return m
}

// runBackup backs up a fresh test tree; it returns the source, the
// archive and the copy.
func runBackup(t *testing.T, f Format) (src, archive, copyDir string, m *Manifest) {
	t.Helper()
	dir := t.TempDir()
	src, archive, copyDir = filepath.Join(dir, "src"), filepath.Join(dir, "backup"+f.Ext()), filepath.Join(dir, "copy")
	makeTree(t, src)
	m, err := Run(t.Context(), Options{Source: src, Archive: archive, CopyTo: copyDir, Format: f})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return src, archive, copyDir, m
}
