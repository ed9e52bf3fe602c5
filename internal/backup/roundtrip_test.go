package backup

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			src, archive, copyDir, m := runBackup(t, f)
			checkManifest(t, src, m)
			compareTrees(t, src, copyDir)
			checkHoles(t, copyDir)
			if err := VerifyTree(t.Context(), copyDir, m, nil); err != nil {
				t.Fatalf("VerifyTree: %v", err)
			}
			if err := VerifyArchive(t.Context(), archive, m, nil); err != nil {
				t.Fatalf("VerifyArchive: %v", err)
			}
			onDisk, err := ReadManifest(ManifestPath(archive))
			if err != nil {
				t.Fatalf("ReadManifest: %v", err)
			}
			if onDisk.ArchiveSHA256 != m.ArchiveSHA256 || len(onDisk.Files) != len(m.Files) {
				t.Fatalf("manifest on disk differs from the one returned")
			}
			if got := sha256File(t, archive); got != m.ArchiveSHA256 {
				t.Fatalf("archive SHA-256 %s, manifest says %s", got, m.ArchiveSHA256)
			}
			dst := filepath.Join(t.TempDir(), "restored")
			if err := Restore(t.Context(), archive, "", dst, nil); err != nil {
				t.Fatalf("Restore: %v", err)
			}
			compareTrees(t, src, dst)
			checkHoles(t, dst)
			assertNoPartial(t, filepath.Dir(archive))
			assertNoPartial(t, filepath.Dir(dst))
		})
	}
}

// checkManifest recomputes what the manifest must say from the source.
func checkManifest(t *testing.T, src string, m *Manifest) {
	t.Helper()
	tree := listTree(t, src)
	if len(m.Files) != len(tree) {
		t.Fatalf("manifest has %d entries, source has %d", len(m.Files), len(tree))
	}
	if m.Files[0].Path != "." || m.Files[0].Type != TypeDir {
		t.Fatalf("first entry is %+v, want the root directory", m.Files[0])
	}
	var total int64
	for _, e := range m.Files {
		fi, ok := tree[e.Path]
		if !ok {
			t.Fatalf("manifest entry %s not in source", e.Path)
		}
		if e.Mode != unixMode(fi.Mode()) || !e.ModTime.Equal(fi.ModTime()) {
			t.Errorf("%s: mode/mtime %o %v, source %o %v", e.Path, e.Mode, e.ModTime, unixMode(fi.Mode()), fi.ModTime())
		}
		if e.Type != TypeFile {
			continue
		}
		total += fi.Size()
		if e.Size != fi.Size() || e.SHA256 != sha256File(t, filepath.Join(src, e.Path)) {
			t.Errorf("%s: size/hash %d %s do not match the source", e.Path, e.Size, e.SHA256)
		}
	}
	if m.TotalBytes != total {
		t.Errorf("TotalBytes %d, want %d", m.TotalBytes, total)
	}
}

func sha256File(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	must(t, err)
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// assertNoPartial fails if a temporary name is left in dir.
func assertNoPartial(t *testing.T, dir string) {
	t.Helper()
	des, err := os.ReadDir(dir)
	must(t, err)
	for _, de := range des {
		if filepath.Ext(de.Name()) == partialSuffix {
			t.Errorf("temporary %s left in %s", de.Name(), dir)
		}
	}
}
