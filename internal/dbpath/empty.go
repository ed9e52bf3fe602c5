package dbpath

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// Empty reports whether dir is missing or an empty directory. A path that
// exists but is not a directory is an error (ErrNotDataDir).
func Empty(dir string) (bool, error) {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, fsError(dir, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, fsError(dir, err)
	}
	if !fi.IsDir() {
		return false, &Error{Kind: ErrNotDataDir, Path: dir,
			Msg: dir + " is a file, not a folder: give a folder"}
	}
	_, err = f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	if err != nil {
		return false, fsError(dir, err)
	}
	return false, nil
}
