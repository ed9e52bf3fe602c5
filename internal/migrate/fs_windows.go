//go:build windows

package migrate

import (
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"
)

func freeBytes(dir string) (int64, error) {
	if n, ok := fakeFreeBytes(); ok {
		return n, nil
	}
	var free, total, totalFree uint64
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	if err := windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree); err != nil {
		return 0, err
	}
	return int64(free), nil
}

func fsKey(p string) string { return strings.ToLower(filepath.VolumeName(p)) }
