//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package dbpath

import (
	"errors"
	"io/fs"
	"os"
)

// probeLock cannot use flock on this operating system. Opening the file
// read-only still catches a permission problem (an *Error) and a sharing
// violation; otherwise it reports that the lock cannot be tested.
func probeLock(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if errors.Is(err, fs.ErrPermission) {
		return false, permissionError(path, err)
	}
	if err != nil {
		return false, err
	}
	f.Close()
	return false, errors.New("flock is not available on this operating system")
}
