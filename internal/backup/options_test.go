package backup

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSkip(t *testing.T) {
	dir := t.TempDir()
	src, archive, copyDir := filepath.Join(dir, "src"), filepath.Join(dir, "b.tar"), filepath.Join(dir, "copy")
	makeTree(t, src)
	var asked []string
	m, err := Run(t.Context(), Options{Source: src, Archive: archive, CopyTo: copyDir, Format: FormatTar,
		Skip: func(rel string, d fs.DirEntry) bool {
			asked = append(asked, rel)
			return rel == "db/_tmp" || rel == "db/mongod.lock"
		}})
	must(t, err)
	for _, e := range m.Files {
		if strings.HasPrefix(e.Path, "db/_tmp") || e.Path == "db/mongod.lock" {
			t.Errorf("skipped %s is in the manifest", e.Path)
		}
	}
	if contains(asked, "db/_tmp/spill.wt") {
		t.Error("Skip was asked about a file inside a skipped directory")
	}
	for _, p := range []string{"db/_tmp", "db/mongod.lock"} {
		if _, err := os.Lstat(filepath.Join(copyDir, p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("skipped %s is in the copy", p)
		}
	}
	// An archive holding the skipped entries would fail: they are not in the manifest.
	must(t, VerifyArchive(t.Context(), archive, m, nil))
	must(t, VerifyTree(t.Context(), copyDir, m, nil))
}

func TestRunRefuses(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	makeTree(t, src)
	full := filepath.Join(dir, "full")
	must(t, os.MkdirAll(filepath.Join(full, "x"), 0o755))
	existing := filepath.Join(dir, "existing.tar.gz")
	must(t, os.WriteFile(existing, nil, 0o600))
	cases := []struct {
		name string
		o    Options
		want string
	}{
		{"nothing to do", Options{Source: src}, "nothing to do"},
		{"missing source", Options{Source: filepath.Join(dir, "nope"), CopyTo: filepath.Join(dir, "c")}, "no such file"},
		{"copy not empty", Options{Source: src, CopyTo: full}, "is not empty"},
		{"archive exists", Options{Source: src, Archive: existing}, "already exists"},
		{"archive in source", Options{Source: src, Archive: filepath.Join(src, "b.tar.gz")}, "overlap"},
		{"copy in source", Options{Source: src, CopyTo: filepath.Join(src, "db", "copy")}, "overlap"},
		{"archive in copy", Options{Source: src, CopyTo: filepath.Join(dir, "c"), Archive: filepath.Join(dir, "c", "b.tar")}, "inside the copy destination"},
		{"bad format", Options{Source: src, Archive: filepath.Join(dir, "b.rar"), Format: "rar"}, "unknown backup format"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(t.Context(), tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Run: %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if _, err := os.Lstat(filepath.Join(dir, "c")); err == nil {
		t.Error("a refused Run created its copy")
	}
}

func TestEscapingSymlinkRefused(t *testing.T) {
	for _, target := range []string{"../../elsewhere", "/var/lib/mongo"} {
		dir := t.TempDir()
		src := filepath.Join(dir, "src")
		makeTree(t, src)
		must(t, os.Symlink(target, filepath.Join(src, "db", "outside")))
		_, err := Run(t.Context(), Options{Source: src, CopyTo: filepath.Join(dir, "copy")})
		if err == nil || !strings.Contains(err.Error(), `symlink "db/outside" points to`) {
			t.Fatalf("Run with symlink to %s: %v", target, err)
		}
		if _, err := os.Lstat(filepath.Join(dir, "copy")); err == nil {
			t.Error("a refused Run created its copy")
		}
	}
}

func TestRestoreRefusesNonEmptyDest(t *testing.T) {
	_, archive, copyDir, _ := runBackup(t, FormatTarGz)
	err := Restore(t.Context(), archive, "", copyDir, nil)
	if err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Fatalf("Restore into a non-empty directory: %v", err)
	}
}

func TestRestoreIntoEmptyDir(t *testing.T) {
	src, archive, _, _ := runBackup(t, FormatTarZst)
	dst := t.TempDir()
	must(t, Restore(t.Context(), archive, "", dst, nil))
	compareTrees(t, src, dst)
}

func TestProgress(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	makeTree(t, src)
	var got []Progress
	m, err := Run(t.Context(), Options{Source: src, CopyTo: filepath.Join(dir, "copy"),
		Progress: func(p Progress) { got = append(got, p) }})
	must(t, err)
	var phases []string
	var last Progress
	for _, p := range got {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
			phases = append(phases, p.Phase)
		}
		if p.Phase == PhaseBackup {
			if p.Bytes < last.Bytes {
				t.Errorf("progress went backwards: %d after %d", p.Bytes, last.Bytes)
			}
			last = p
		}
	}
	if strings.Join(phases, ",") != "scan,backup,sync" {
		t.Errorf("phases %v, want scan, backup, sync", phases)
	}
	_, files := totals(m.Files)
	if last.Bytes != m.TotalBytes || last.TotalBytes != m.TotalBytes || last.Files != files || last.TotalFiles != files {
		t.Errorf("final backup progress %+v, want %d bytes and %d files done", last, m.TotalBytes, files)
	}
}
