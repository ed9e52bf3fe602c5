//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package dbpath

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// probeLock tests path with flock(LOCK_EX|LOCK_NB) on an O_RDONLY fd.
// It returns an *Error for permission problems and a plain error when the
// lock cannot be tested (the caller then falls back to the content).
func probeLock(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0) // never O_CREATE
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, asOperatorError(path, err)
	}
	defer f.Close()
	fd := int(f.Fd())
	err = flock(fd, unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EBADF) {
		// NFS emulates flock with fcntl locks, which need a writable fd for
		// an exclusive lock; a shared lock still conflicts with mongod's.
		err = flock(fd, unix.LOCK_SH|unix.LOCK_NB)
	}
	switch {
	case err == nil:
		_ = flock(fd, unix.LOCK_UN) // closing the fd releases it anyway
		return false, nil
	case errors.Is(err, unix.EWOULDBLOCK):
		return true, nil
	default:
		return false, &os.PathError{Op: "flock", Path: path, Err: err}
	}
}

func flock(fd, how int) error {
	for {
		err := unix.Flock(fd, how)
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}

func asOperatorError(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return permissionError(path, err)
	}
	return err
}
