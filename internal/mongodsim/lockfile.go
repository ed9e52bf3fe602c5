package mongodsim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// LockFileName is mongod's lock file in the dbpath.
const LockFileName = "mongod.lock"

var errLockBusy = errors.New("lock held by another process")

// lockFile is an open, flocked mongod.lock.
type lockFile struct {
	f    *os.File
	path string
	// unclean: the file was non-empty when opened (the previous mongod did not shut down cleanly).
	unclean bool
	prevPid string
}

// openLock opens or creates dbpath/mongod.lock and takes flock(LOCK_EX|LOCK_NB).
func openLock(dbpath string) (*lockFile, error) {
	path := filepath.Join(dbpath, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, errLockBusy
		}
		return nil, fmt.Errorf("flock %s: %w", path, err)
	}
	content, err := io.ReadAll(io.LimitReader(f, 64))
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &lockFile{f: f, path: path, unclean: len(content) > 0, prevPid: string(content)}, nil
}

// writePid truncates the file, writes "<pid>\n" and fsyncs.
func (l *lockFile) writePid() error {
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("truncate %s: %w", l.path, err)
	}
	if _, err := l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		return fmt.Errorf("write pid to %s: %w", l.path, err)
	}
	if err := syncFile(l.f); err != nil {
		return fmt.Errorf("fsync %s: %w", l.path, err)
	}
	return nil
}

// clearAndUnlock is the clean-shutdown path: ftruncate to 0, fsync, unlock. Never unlinks.
func (l *lockFile) clearAndUnlock() error {
	defer l.f.Close()
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("truncate %s: %w", l.path, err)
	}
	if err := syncFile(l.f); err != nil {
		return fmt.Errorf("fsync %s: %w", l.path, err)
	}
	if err := unix.Flock(int(l.f.Fd()), unix.LOCK_UN); err != nil {
		return fmt.Errorf("unlock %s: %w", l.path, err)
	}
	return nil
}

// release closes the file without touching its content (abrupt paths; the kernel drops the flock).
func (l *lockFile) release() { _ = l.f.Close() }

// EnvFsync=0 turns fsync off (test speed). Process crashes (kill -9, SIGSEGV) lose nothing
// either way: written data stays in the page cache; only a machine crash would.
const EnvFsync = "MONGODSIM_FSYNC"

var fsyncEnabled = true

func syncFile(f *os.File) error {
	if !fsyncEnabled {
		return nil
	}
	return f.Sync()
}
