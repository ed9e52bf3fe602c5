package backup

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// partialSuffix marks the temporary siblings Run and Restore write into. A
// name carrying it is never a finished result; a later run removes it.
const partialSuffix = ".mongostep-partial"

// tempSibling is the temporary name used while final is being written:
// ".NAME.mongostep-partial" in the same directory (so the rename is atomic).
func tempSibling(final string) string {
	return filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+partialSuffix)
}

// writeFileAtomic writes data to p via a fsync'd temporary file and a rename,
// then fsyncs the directory.
func writeFileAtomic(p string, data []byte) error {
	dir := filepath.Dir(p)
	f, err := os.CreateTemp(dir, "."+filepath.Base(p)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", p, err)
	}
	return syncDir(dir)
}

// checkEmptyOrMissing fails unless dir does not exist or is an empty directory.
func checkEmptyOrMissing(dir, what string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check %s %s: %w", what, dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s %s exists and is not a directory; choose another path", what, dir)
	}
	empty, err := isEmptyDir(dir)
	if err != nil {
		return fmt.Errorf("check %s %s: %w", what, dir, err)
	}
	if !empty {
		return fmt.Errorf("%s %s is not empty; choose a new or empty directory", what, dir)
	}
	return nil
}

func isEmptyDir(dir string) (bool, error) {
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	return false, err
}

// makeTempDir creates a fresh temporary sibling directory for final,
// removing what an interrupted earlier run left under that name.
func makeTempDir(final string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return "", fmt.Errorf("create parent of %s: %w", final, err)
	}
	tmp := tempSibling(final)
	if err := os.RemoveAll(tmp); err != nil {
		return "", fmt.Errorf("remove leftover %s of an interrupted run: %w", tmp, err)
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", tmp, err)
	}
	return tmp, nil
}

// publishDir renames the finished temporary directory tmp to final (which
// must be missing or empty) and fsyncs the parent directory.
func publishDir(tmp, final string) error {
	if err := checkEmptyOrMissing(final, "destination"); err != nil {
		return err
	}
	if err := os.Remove(final); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("replace empty directory %s: %w", final, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("move finished copy %s into place: %w", final, err)
	}
	return syncDir(filepath.Dir(final))
}
