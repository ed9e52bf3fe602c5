//go:build unix

package main

import (
	"io/fs"
	"os"
	"runtime"
	"syscall"
)

// peakRSS is the child's maximum resident set size in bytes.
func peakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes on macOS
	}
	return ru.Maxrss << 10 // KiB on Linux and the BSDs
}

// allocated is the disk space a file really takes (holes excluded).
func allocated(fi fs.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int64(st.Blocks) * 512
	}
	return fi.Size()
}

func syncDisks() { syscall.Sync() }
