package backup

import (
	"errors"
	"fmt"
	"path"
	"runtime"
	"strings"
)

// errNoClone: the filesystem cannot make copy-on-write clones.
var errNoClone = errors.New("copy-on-write clone not supported")

// tarName is the archive name of an entry, as `tar -C SOURCE .` writes it:
// "./", "./db/", "./db/file".
func tarName(e *Entry) string {
	name := "./"
	if e.Path != "." {
		name += e.Path
		if e.Type == TypeDir {
			name += "/"
		}
	}
	return name
}

// entryPath turns an archive entry name into a clean relative path, refusing
// names that would land outside the destination.
func entryPath(name string) (string, error) {
	if strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("archive entry %q: name contains a NUL byte; refusing it", name)
	}
	if runtime.GOOS == "windows" && (strings.ContainsRune(name, '\\') || strings.ContainsRune(name, ':')) {
		return "", fmt.Errorf("archive entry %q: name contains '\\' or ':' (unsafe on Windows); refusing it", name)
	}
	if path.IsAbs(name) || strings.HasPrefix(name, "\\") || hasVolume(name) {
		return "", fmt.Errorf("archive entry %q: absolute path; refusing to write outside the destination", name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", fmt.Errorf("archive entry %q: contains \"..\"; refusing to write outside the destination", name)
		}
	}
	rel := path.Clean(name)
	if rel == "" {
		rel = "."
	}
	return rel, nil
}

// hasVolume spots "C:" style prefixes, absolute on Windows.
func hasVolume(name string) bool {
	return len(name) >= 2 && name[1] == ':' &&
		(name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z')
}

// checkLinkTarget refuses symlinks whose target is absolute or climbs out of
// the tree the link lives in (rel is the link's own path).
func checkLinkTarget(rel, target string) error {
	if target == "" {
		return fmt.Errorf("symlink %q has an empty target", rel)
	}
	if path.IsAbs(target) || strings.HasPrefix(target, "\\") || hasVolume(target) {
		return fmt.Errorf("symlink %q points to absolute path %q, outside the data directory", rel, target)
	}
	resolved := path.Join(path.Dir(rel), target)
	if resolved == ".." || strings.HasPrefix(resolved, "../") {
		return fmt.Errorf("symlink %q points to %q, outside the data directory", rel, target)
	}
	return nil
}

// underSymlink reports the first proper prefix of rel that is a symlink in
// links, if any: writing rel would go through that link.
func underSymlink(rel string, links map[string]bool) (string, bool) {
	if len(links) == 0 {
		return "", false
	}
	for i := 0; i < len(rel); i++ {
		if rel[i] == '/' && links[rel[:i]] {
			return rel[:i], true
		}
	}
	return "", false
}
