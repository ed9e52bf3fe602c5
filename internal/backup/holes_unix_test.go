//go:build unix

package backup

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// checkHoles checks that zero-filled files were written sparse: their size
// is exact but far fewer blocks are allocated.
func checkHoles(t *testing.T, root string) {
	t.Helper()
	for _, rel := range []string{"db/journal/WiredTigerPreplog.0000000001", "db/journal/WiredTigerLog.0000000001"} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		fi, err := os.Stat(p)
		must(t, err)
		allocated := fi.Sys().(*syscall.Stat_t).Blocks * 512
		if allocated > fi.Size()/2 {
			t.Errorf("%s: %d bytes allocated for %d bytes of mostly zeros: no holes", rel, allocated, fi.Size())
		}
	}
}
