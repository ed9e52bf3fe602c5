package dbpath

import (
	"errors"
	"io/fs"
	"path/filepath"
)

// spillDir is 8.2+'s scratch WiredTiger home, wiped by mongod at startup.
var spillDir = filepath.Join("_tmp", "spilldb")

type usage struct {
	bytes, disk int64
	files       int
	symlinks    []string
}

// measure fills Bytes, DiskBytes, Files and Symlinks. For the ClearML layout
// db/ and configdb/ are walked on their own so that a symlinked db/ (data on
// another disk) is still counted.
func measure(info *Info) error {
	var u usage
	var err error
	if info.Layout == LayoutClearML {
		err = walkTree(info.Root, &u, clearMLDB, clearMLConfig)
		if err == nil {
			err = walkTree(info.DBPath, &u, spillDir)
		}
		if err == nil {
			err = walkTree(info.ConfigDB, &u)
		}
	} else {
		err = walkTree(info.DBPath, &u, spillDir)
	}
	if err != nil {
		return err
	}
	info.Bytes, info.DiskBytes, info.Files, info.Symlinks = u.bytes, u.disk, u.files, u.symlinks
	for _, s := range u.symlinks {
		info.warn("%s is a symbolic link: it is not followed and its target is not counted in the sizes", s)
	}
	return nil
}

// walkTree adds the regular files under root (resolving root itself if it is
// a symlink) to u, skipping the given paths relative to root. A missing root
// is skipped silently; unreadable folders fail with ErrPermission.
func walkTree(root string, u *usage, skip ...string) error {
	resolved, err := filepath.EvalSymlinks(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fsError(root, err)
	}
	return filepath.WalkDir(resolved, func(path string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(resolved, path)
		if err != nil {
			return walkError(filepath.Join(root, rel), err)
		}
		if contains(skip, rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return countEntry(filepath.Join(root, rel), d, u)
	})
}

func countEntry(shown string, d fs.DirEntry, u *usage) error {
	switch {
	case d.Type()&fs.ModeSymlink != 0:
		u.symlinks = append(u.symlinks, shown)
	case d.Type().IsRegular():
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed while walking
		}
		if err != nil {
			return fsError(shown, err)
		}
		u.bytes += fi.Size()
		u.disk += allocated(fi)
		u.files++
	}
	return nil
}

func walkError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return nil // removed while walking
	}
	return fsError(path, err)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
