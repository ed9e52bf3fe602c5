package dbpath

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func skipIfRoot(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not deny reads on Windows")
	}
	if os.Geteuid() == 0 {
		t.Skip("running as root: root can read any file")
	}
}

func TestUnreadableFilesNeedSudo(t *testing.T) {
	skipIfRoot(t)
	for _, rel := range []string{storageBSON, turtleFile, wtFile, lockFile,
		filepath.Join(diagDir, "metrics.2024-03-01T10-00-00Z-00000"), diagDir, "journal"} {
		t.Run(rel, func(t *testing.T) {
			dir := standardDB().write(t, t.TempDir())
			mustMkdir(t, filepath.Join(dir, "journal"))
			path := filepath.Join(dir, rel)
			if err := os.Chmod(path, 0); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(path, 0o755) })
			_, err := Inspect(dir)
			if !errors.Is(err, ErrPermission) || !errors.Is(err, fs.ErrPermission) {
				t.Fatalf("err %v, want ErrPermission", err)
			}
			if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "sudo") {
				t.Errorf("message %q should name %s and suggest sudo", msg, path)
			}
		})
	}
}

func TestUnreadableLockInUse(t *testing.T) {
	skipIfRoot(t)
	dir := standardDB().write(t, t.TempDir())
	path := filepath.Join(dir, lockFile)
	if err := os.Chmod(path, 0); err != nil {
		t.Fatal(err)
	}
	_, err := InUse(dir)
	if !errors.Is(err, ErrPermission) || !strings.Contains(err.Error(), "sudo") {
		t.Fatalf("err %v, want ErrPermission suggesting sudo", err)
	}
}

func TestUnreadableRoot(t *testing.T) {
	skipIfRoot(t)
	parent := t.TempDir()
	dir := standardDB().write(t, filepath.Join(parent, "data"))
	if err := os.Chmod(parent, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(parent, 0o755) })
	if _, err := Inspect(dir); !errors.Is(err, ErrPermission) {
		t.Fatalf("err %v, want ErrPermission", err)
	}
	if _, err := Empty(dir); !errors.Is(err, ErrPermission) {
		t.Fatalf("Empty: err %v, want ErrPermission", err)
	}
}
