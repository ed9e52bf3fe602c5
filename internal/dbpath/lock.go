package dbpath

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
)

// maxLockRead bounds the read of mongod.lock (a PID and a newline in practice).
const maxLockRead = 4 << 10

// readLock reads mongod.lock without creating or locking it.
func readLock(dbpath string) (Lock, error) {
	path := filepath.Join(dbpath, lockFile)
	data, _, err := readLimited(path, maxLockRead)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Lock{}, nil
	case err != nil:
		return Lock{}, fsError(path, err)
	}
	l := Lock{Present: true, Empty: len(data) == 0, Raw: string(data)}
	if pid, err := strconv.Atoi(strings.TrimSpace(l.Raw)); err == nil && pid > 0 {
		l.PID = pid
	}
	return l, nil
}

// readLockInfo fills Lock and Clean, and warns about anything but a clean lock.
func readLockInfo(info *Info) error {
	l, err := readLock(info.DBPath)
	if err != nil {
		return err
	}
	info.Lock, info.Clean = l, l.Present && l.Empty
	path := filepath.Join(info.DBPath, lockFile)
	switch {
	case !l.Present:
		info.warn("%s is absent: whether the last mongod shut down cleanly cannot be told, so it is treated as unclean", path)
	case l.PID > 0:
		info.warn("%s holds PID %d: a mongod is running here, or the last one did not shut down cleanly "+
			"(inside a container the PID is that container's, so it says nothing about the host)", path, l.PID)
	case !l.Empty:
		info.warn("%s is not empty (%q): the last mongod did not shut down cleanly, or one is running", path, truncate(l.Raw, 40))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
