//go:build unix

package docker

import (
	"context"
	"strings"
	"syscall"
	"testing"
)

func TestPrepareCopyWithoutChown(t *testing.T) {
	root := t.TempDir()
	cases := []struct {
		goos    string
		clearml bool
		euid    int
		want    string
	}{
		{"darwin", true, 0, "Docker Desktop"},
		{"windows", true, -1, "Docker Desktop"},
		{"linux", false, 0, "not ClearML's layout"},
		{"linux", true, 1000, "not running as root"},
	}
	for _, c := range cases {
		notes, err := prepareCopy(context.Background(), root, c.clearml, c.goos, c.euid)
		if err != nil || len(notes) != 1 || !strings.Contains(notes[0], c.want) || !strings.Contains(notes[0], "uid 999") {
			t.Errorf("prepareCopy(%s, clearml=%v, euid=%d) = %q, %v; want a note with %q", c.goos, c.clearml, c.euid, notes, err, c.want)
		}
	}
	var st syscall.Stat_t
	if err := syscall.Stat(root, &st); err != nil || st.Uid == 1000 {
		t.Errorf("ownership changed where it should not: uid %d (%v)", st.Uid, err)
	}
}
