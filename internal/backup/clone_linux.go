package backup

import (
	"os"

	"golang.org/x/sys/unix"
)

// cloneFile makes dst (which must not exist) a copy-on-write clone of src
// with FICLONE. It returns errNoClone when the filesystem cannot clone.
func cloneFile(src *os.File, dst string) error {
	d, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	cerr := unix.IoctlFileClone(int(d.Fd()), int(src.Fd()))
	if err := d.Close(); cerr == nil && err != nil {
		cerr = err
	}
	if cerr != nil {
		os.Remove(dst)
		return errNoClone
	}
	return nil
}
