package dbpath

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// readLimited reads at most limit bytes of path, opened read-only.
// truncated is true when the file holds more. Errors keep fs.ErrNotExist and
// fs.ErrPermission visible to errors.Is.
func readLimited(path string, limit int64) (data []byte, truncated bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, nil
}

// exists reports whether path exists (without following a final symlink).
// Only permission problems are returned as errors.
func exists(path string) (bool, error) {
	_, err := os.Lstat(path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrPermission):
		return false, permissionError(path, err)
	default:
		return false, nil
	}
}

// isDir reports whether path is a directory (following symlinks).
func isDir(path string) (bool, error) {
	fi, err := os.Stat(path)
	switch {
	case err == nil:
		return fi.IsDir(), nil
	case errors.Is(err, fs.ErrPermission):
		return false, permissionError(path, err)
	default:
		return false, nil
	}
}
