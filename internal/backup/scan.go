package backup

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// unixMode turns a FileMode into Unix permission bits (07777).
func unixMode(m fs.FileMode) uint32 {
	u := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

// fileMode turns Unix permission bits back into a FileMode.
func fileMode(u uint32) fs.FileMode {
	m := fs.FileMode(u & 0o777)
	if u&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if u&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if u&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// entryFromInfo describes one source entry; link is read for symlinks.
func entryFromInfo(root, rel string, fi fs.FileInfo) (Entry, error) {
	uid, gid := ownerOf(fi)
	e := Entry{Path: rel, Mode: unixMode(fi.Mode()), ModTime: fi.ModTime(), UID: uid, GID: gid}
	switch t := fi.Mode().Type(); {
	case t == 0:
		e.Type, e.Size = TypeFile, fi.Size()
	case t == fs.ModeDir:
		e.Type = TypeDir
	case t == fs.ModeSymlink:
		e.Type = TypeSymlink
		link, err := os.Readlink(osPath(root, rel))
		if err != nil {
			return e, fmt.Errorf("read symlink %s: %w", osPath(root, rel), err)
		}
		e.Link = filepath.ToSlash(link)
		if err := checkLinkTarget(rel, e.Link); err != nil {
			return e, fmt.Errorf("%w: a mongod running on the copy would write through it; "+
				"replace the link by the directory it points to, then run again", err)
		}
	default:
		return e, fmt.Errorf("%s is a %s, not a file, directory or symlink; "+
			"mongostep does not back up such files: remove it from the data directory", osPath(root, rel), t)
	}
	return e, nil
}

// scan lists the source tree in lexical order, root first, leaving out what
// skip selects (a skipped directory is left out with its contents).
func scan(ctx context.Context, root string, skip func(string, fs.DirEntry) bool, seen func()) ([]Entry, error) {
	var entries []Entry
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read source: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return fmt.Errorf("read source %s: %w", p, err)
		}
		rel = filepath.ToSlash(rel)
		if rel != "." && skip != nil && skip(rel, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return fmt.Errorf("read source %s: %w", p, err)
		}
		if rel == "." && !fi.IsDir() {
			return fmt.Errorf("source %s is not a directory", root)
		}
		e, err := entryFromInfo(root, rel, fi)
		if err != nil {
			return err
		}
		entries = append(entries, e)
		seen()
		return nil
	})
	return entries, err
}

// totals returns the byte and regular-file counts of entries.
func totals(entries []Entry) (bytes int64, files int) {
	for i := range entries {
		if entries[i].Type == TypeFile {
			bytes += entries[i].Size
			files++
		}
	}
	return bytes, files
}
