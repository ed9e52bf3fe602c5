package backup

import (
	"os"

	"golang.org/x/sys/unix"
)

// cloneFile makes dst (which must not exist) a copy-on-write clone of src
// with clonefile(2). It returns errNoClone when the filesystem cannot clone.
func cloneFile(src *os.File, dst string) error {
	if err := unix.Clonefile(src.Name(), dst, unix.CLONE_NOFOLLOW); err != nil {
		os.Remove(dst)
		return errNoClone
	}
	return nil
}
