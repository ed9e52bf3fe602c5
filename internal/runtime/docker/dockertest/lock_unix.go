//go:build unix

package dockertest

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockImages serialises image builds between test processes on this machine
// (go test runs packages in parallel), so two processes do not import the
// same tag at once.
func lockImages() (unlock func(), err error) {
	p := filepath.Join(os.TempDir(), "mongostep-dockertest.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, fmt.Errorf("dockertest: open %s: %w", p, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("dockertest: lock %s: %w", p, err)
	}
	return func() { f.Close() }, nil
}
