package dbpath

import (
	"errors"
	"fmt"
	"path/filepath"
)

// InUse reports whether a live process holds dbpath/mongod.lock, the way a
// second mongod would find out: a non-blocking exclusive flock on a
// read-only descriptor (the file is never created or written; a missing
// mongod.lock means not in use). The test lock is released at once; a
// mongod starting in that instant would fail with DBPathInUse (exit 100).
//
// flock only sees processes on the same kernel: a mongod in a Docker Desktop
// VM using a host folder is not detected. Where flock is unavailable (other
// operating systems, filesystems without lock support) InUse falls back to
// the content: an empty lock means no mongod is running; a non-empty one
// gives an *Error of kind ErrInUseUnknown, since a running mongod and an
// unclean shutdown look the same.
func InUse(dbpath string) (bool, error) {
	path := filepath.Join(dbpath, lockFile)
	held, err := probeLock(path)
	if err == nil {
		return held, nil
	}
	var opErr *Error
	if errors.As(err, &opErr) {
		return false, err
	}
	return inUseFromContent(dbpath, err)
}

// inUseFromContent decides from mongod.lock's content when flock cannot.
func inUseFromContent(dbpath string, cause error) (bool, error) {
	l, err := readLock(dbpath)
	if err != nil {
		return false, err
	}
	if !l.Present || l.Empty {
		return false, nil
	}
	path := filepath.Join(dbpath, lockFile)
	return false, &Error{Kind: ErrInUseUnknown, Path: path, Err: cause,
		Msg: fmt.Sprintf("cannot test the lock on %s (%v) and it is not empty (%q): a mongod may be running "+
			"on this data, or the last one did not shut down cleanly; stop every mongod and container "+
			"using this folder, then try again", path, cause, truncate(l.Raw, 40))}
}
