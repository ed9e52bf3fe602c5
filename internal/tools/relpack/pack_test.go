package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fakeRelease lays out dist/build/<os>_<arch>/ with a binary each, and the
// docs, under a fresh folder; touched sets the files' mtimes (which must not
// matter).
func fakeRelease(t *testing.T, touched time.Time) (dist string, docs []string) {
	t.Helper()
	root := t.TempDir()
	dist = filepath.Join(root, "dist")
	for _, p := range []struct{ dir, bin string }{
		{"linux_amd64", "mongostep"}, {"darwin_arm64", "mongostep"}, {"windows_amd64", "mongostep.exe"},
	} {
		f := filepath.Join(dist, "build", p.dir, p.bin)
		write(t, f, "binary for "+p.dir, 0o700, touched)
	}
	for _, d := range []string{"README.md", "LICENSE"} {
		f := filepath.Join(root, d)
		write(t, f, "text of "+d, 0o600, touched)
		docs = append(docs, f)
	}
	return dist, docs
}

func write(t *testing.T, p, s string, mode os.FileMode, mtime time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

var commitTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestPackIsReproducible(t *testing.T) {
	distA, docsA := fakeRelease(t, time.Now())
	distB, docsB := fakeRelease(t, time.Now().Add(-48*time.Hour))
	namesA, err := Pack(Options{Dist: distA, Version: "v1.2.3", MTime: commitTime, Files: docsA})
	if err != nil {
		t.Fatal(err)
	}
	namesB, err := Pack(Options{Dist: distB, Version: "v1.2.3", MTime: commitTime, Files: docsB})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"mongostep_1.2.3_darwin_arm64.tar.gz", "mongostep_1.2.3_linux_amd64.tar.gz", "mongostep_1.2.3_windows_amd64.zip"}
	if !reflect.DeepEqual(namesA, want) || !reflect.DeepEqual(namesB, want) {
		t.Fatalf("archives = %q and %q, want %q", namesA, namesB, want)
	}
	for _, n := range append(want, "SHA256SUMS") {
		a, b := readFile(t, filepath.Join(distA, n)), readFile(t, filepath.Join(distB, n))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two packs of the same files (other paths and file times)", n)
		}
	}
}

func TestSHA256SUMSMatchesArchives(t *testing.T) {
	dist, docs := fakeRelease(t, time.Now())
	names, err := Pack(Options{Dist: dist, Version: "0.9.0", MTime: commitTime, Files: docs})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(readFile(t, filepath.Join(dist, "SHA256SUMS"))), "\n"), "\n")
	if len(lines) != len(names) {
		t.Fatalf("SHA256SUMS has %d lines for %d archives:\n%s", len(lines), len(names), strings.Join(lines, "\n"))
	}
	for i, n := range names {
		sum := sha256.Sum256(readFile(t, filepath.Join(dist, n)))
		if want := hex.EncodeToString(sum[:]) + "  " + n; lines[i] != want {
			t.Errorf("SHA256SUMS line %d = %q, want %q", i+1, lines[i], want)
		}
	}
}

func TestTarGzEntries(t *testing.T) {
	dist, docs := fakeRelease(t, time.Now())
	if _, err := Pack(Options{Dist: dist, Version: "1.0.0", MTime: commitTime, Files: docs}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dist, "mongostep_1.0.0_linux_amd64.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if gz.Name != "" || !gz.ModTime.IsZero() {
		t.Errorf("gzip header carries name %q / time %v", gz.Name, gz.ModTime)
	}
	tr := tar.NewReader(gz)
	var got []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		got = append(got, h.Name)
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || !h.ModTime.Equal(commitTime) {
			t.Errorf("%s: owner %d:%d (%q:%q), time %v; want 0:0, no names, %v", h.Name, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime, commitTime)
		}
		wantMode := int64(0o644)
		if h.Name == "mongostep" {
			wantMode = 0o755
			if string(body) != "binary for linux_amd64" {
				t.Errorf("binary = %q", body)
			}
		}
		if h.Mode != wantMode {
			t.Errorf("%s: mode %o, want %o", h.Name, h.Mode, wantMode)
		}
	}
	if want := []string{"mongostep", "README.md", "LICENSE"}; !reflect.DeepEqual(got, want) {
		t.Errorf("entries = %q, want %q", got, want)
	}
}

func TestZipEntries(t *testing.T) {
	dist, docs := fakeRelease(t, time.Now())
	if _, err := Pack(Options{Dist: dist, Version: "1.0.0", MTime: commitTime, Files: docs}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(filepath.Join(dist, "mongostep_1.0.0_windows_amd64.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var got []string
	for _, f := range zr.File {
		got = append(got, f.Name)
		if !f.Modified.Equal(commitTime) {
			t.Errorf("%s: time %v, want %v", f.Name, f.Modified, commitTime)
		}
		if f.Name == "mongostep.exe" && f.Mode().Perm() != 0o755 {
			t.Errorf("mongostep.exe mode %v", f.Mode())
		}
	}
	if want := []string{"mongostep.exe", "README.md", "LICENSE"}; !reflect.DeepEqual(got, want) {
		t.Errorf("entries = %q, want %q", got, want)
	}
}

func TestPackWithoutBuildSaysWhat(t *testing.T) {
	_, err := Pack(Options{Dist: t.TempDir(), Version: "1", MTime: commitTime})
	if err == nil || !strings.Contains(err.Error(), "make release") {
		t.Fatalf("err = %v, want one that names make release", err)
	}
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
