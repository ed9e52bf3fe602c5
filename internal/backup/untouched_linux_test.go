package backup

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSourceUntouched checks that Run changes nothing in the source: not a
// byte, not a mode, not even a ctime (which any chmod, chown or write moves).
func TestSourceUntouched(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	makeTree(t, src)
	before := snapshot(t, src)
	_, err := Run(t.Context(), Options{Source: src, Archive: filepath.Join(dir, "b.tar.gz"), CopyTo: filepath.Join(dir, "copy")})
	must(t, err)
	if after := snapshot(t, src); after != before {
		t.Fatalf("source changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func snapshot(t *testing.T, root string) string {
	var b strings.Builder
	must(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		sum := ""
		if fi.Mode().IsRegular() {
			sum = sha256File(t, p)
		}
		fmt.Fprintf(&b, "%s %v %d %d.%d %d.%d %d:%d %s\n", p, fi.Mode(), fi.Size(), st.Mtim.Sec, st.Mtim.Nsec,
			st.Ctim.Sec, st.Ctim.Nsec, st.Uid, st.Gid, sum)
		return nil
	}))
	return b.String()
}

func TestSpecialFileRefused(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	makeTree(t, src)
	must(t, syscall.Mkfifo(filepath.Join(src, "db", "pipe"), 0o600))
	_, err := Run(t.Context(), Options{Source: src, CopyTo: filepath.Join(dir, "copy")})
	if err == nil || !strings.Contains(err.Error(), "db/pipe is a p") {
		t.Fatalf("Run with a fifo in the source: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "copy")); err == nil {
		t.Error("a refused Run created its copy")
	}
}
