//go:build !windows

package migrate

import (
	"fmt"

	"golang.org/x/sys/unix"
)

func freeBytes(dir string) (int64, error) {
	if n, ok := fakeFreeBytes(); ok {
		return n, nil
	}
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}

// fsKey identifies the filesystem a path lives on.
func fsKey(p string) string {
	var st unix.Stat_t
	if err := unix.Stat(p, &st); err != nil {
		return p
	}
	return fmt.Sprint(st.Dev)
}
