//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package dbpath

import (
	"io/fs"
	"syscall"
)

// allocated is the space fi's file uses on disk (st_blocks are 512 bytes).
func allocated(fi fs.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int64(st.Blocks) * 512
	}
	return fi.Size()
}
