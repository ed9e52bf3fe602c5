package backup

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorruptArchive flips one byte inside the data of the largest file and
// expects VerifyArchive and Restore to fail, naming that file.
func TestCorruptArchive(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			_, archive, _, m := runBackup(t, f)
			b, err := os.ReadFile(archive)
			must(t, err)
			// The 3 MiB random file is written right after the ~21 bytes of
			// db/WiredTiger and before the rest; 1.5 MiB in is inside it.
			b[1500<<10] ^= 0x55
			must(t, os.WriteFile(archive, b, 0o600))
			err = VerifyArchive(t.Context(), archive, m, nil)
			t.Logf("VerifyArchive: %v", err)
			if err == nil || !strings.Contains(err.Error(), "db/collection-0-123.wt") {
				t.Fatalf("VerifyArchive error %v does not name the damaged file", err)
			}
			dst := filepath.Join(t.TempDir(), "restored")
			err = Restore(t.Context(), archive, "", dst, nil)
			t.Logf("Restore: %v", err)
			if err == nil || !strings.Contains(err.Error(), "SHA-256") {
				t.Fatalf("Restore of a damaged archive: %v", err)
			}
			if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("Restore left %s behind: %v", dst, err)
			}
			assertNoPartial(t, filepath.Dir(dst))
		})
	}
}

func TestCorruptArchiveWithoutArchiveHash(t *testing.T) {
	_, archive, _, m := runBackup(t, FormatTar)
	b, err := os.ReadFile(archive)
	must(t, err)
	b[1500<<10] ^= 0x55
	must(t, os.WriteFile(archive, b, 0o600))
	m.ArchiveSHA256, m.ArchiveBytes = "", 0 // Restore now checks every entry first
	must(t, WriteManifest(ManifestPath(archive), m))
	err = Restore(t.Context(), archive, "", filepath.Join(t.TempDir(), "r"), nil)
	if err == nil || !strings.Contains(err.Error(), "./db/collection-0-123.wt") {
		t.Fatalf("Restore error %v does not name the damaged file", err)
	}
}

func TestCorruptCopy(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *testing.T, copyDir string)
		want   []string
	}{
		{"byte changed", func(t *testing.T, d string) {
			p := filepath.Join(d, "db", "index-1-123.wt")
			fi, err := os.Stat(p)
			must(t, err)
			b, err := os.ReadFile(p)
			must(t, err)
			b[100] ^= 1
			must(t, os.WriteFile(p, b, 0))
			must(t, os.Chtimes(p, time.Time{}, fi.ModTime())) // only the content differs
		}, []string{"db/index-1-123.wt has SHA-256"}},
		{"truncated", func(t *testing.T, d string) {
			must(t, os.Truncate(filepath.Join(d, "db", "WiredTiger"), 3))
		}, []string{"db/WiredTiger is 3 bytes, manifest says 21"}},
		{"extra and missing", func(t *testing.T, d string) {
			must(t, os.WriteFile(filepath.Join(d, "db", "extra"), nil, 0o600))
			must(t, os.Remove(filepath.Join(d, "db", "mongod.lock")))
		}, []string{"db/extra is not in the manifest", "db/mongod.lock is missing"}},
		{"mode", func(t *testing.T, d string) {
			must(t, os.Chmod(filepath.Join(d, "configdb"), 0o700))
		}, []string{"configdb has mode 0700, manifest says 0750"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "mode" && !modesReliable {
				t.Skip("modes are not kept on this OS")
			}
			_, _, copyDir, m := runBackup(t, FormatTar)
			tc.change(t, copyDir)
			err := VerifyTree(t.Context(), copyDir, m, nil)
			if err == nil {
				t.Fatal("VerifyTree found no difference")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
