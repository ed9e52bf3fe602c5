package dbpath

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
)

// Keys written by WiredTiger's __wt_turtle_update (src/include/meta.h).
const (
	turtleKeyCompat  = "Compatibility version"
	turtleKeyVerStr  = "WiredTiger version string"
	turtleKeyVersion = "WiredTiger version"
	turtleKeyMeta    = "file:WiredTiger.wt"
)

// Read bounds: the turtle holds one metadata config string (about 1-2 KiB);
// the WiredTiger file two short lines.
const (
	maxTurtle = 1 << 20
	maxWTFile = 4 << 10
)

// turtle is what this package uses from WiredTiger.turtle.
type turtle struct {
	version WTVersion
	compat  string // "major.minor" or ""
}

// readWiredTiger fills WTCreatedBy, WTVersion and WTCompat. Problems are
// warnings: the other facts stay useful. Only permission errors fail.
func readWiredTiger(info *Info) error {
	if err := readCreatedBy(info); err != nil {
		return err
	}
	path := filepath.Join(info.DBPath, turtleFile)
	data, truncated, err := readLimited(path, maxTurtle)
	switch {
	case errors.Is(err, fs.ErrPermission):
		return permissionError(path, err)
	case errors.Is(err, fs.ErrNotExist):
		if info.Engine == EngineWiredTiger {
			info.warn("%s is absent: WiredTiger cannot open this data and the WiredTiger version is unknown", path)
		}
		return nil
	case err != nil:
		info.warn("%v", fsError(path, err))
		return nil
	case truncated:
		info.warn("%s is larger than %d bytes: not a WiredTiger.turtle, version unknown", path, maxTurtle)
		return nil
	}
	t, err := parseTurtle(data)
	if err != nil {
		info.warn("%s: %v; mongod will probably fail to open this data, and the WiredTiger version is unknown", path, err)
		return nil
	}
	info.WTVersion, info.WTCompat = &t.version, t.compat
	return nil
}

// readCreatedBy reads the second line of the `WiredTiger` file, written once
// when the data was created: "WiredTiger\nWiredTiger X.Y.Z: (date)\n".
func readCreatedBy(info *Info) error {
	path := filepath.Join(info.DBPath, wtFile)
	data, _, err := readLimited(path, maxWTFile)
	switch {
	case errors.Is(err, fs.ErrPermission):
		return permissionError(path, err)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		info.warn("%v", fsError(path, err))
		return nil
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if len(lines) < 2 || lines[0] != "WiredTiger" || !strings.HasPrefix(lines[1], "WiredTiger ") {
		info.warn("%s does not hold the expected \"WiredTiger\" line and version string", path)
		return nil
	}
	info.WTCreatedBy = lines[1]
	return nil
}

// parseTurtle reads WiredTiger.turtle's key/value line pairs.
func parseTurtle(data []byte) (turtle, error) {
	kv, err := turtlePairs(data)
	if err != nil {
		return turtle{}, err
	}
	if _, ok := kv[turtleKeyMeta]; !ok {
		return turtle{}, fmt.Errorf("%w: no %q entry (truncated?)", ErrCorruptTurtle, turtleKeyMeta)
	}
	raw, ok := kv[turtleKeyVersion]
	if !ok {
		return turtle{}, fmt.Errorf("%w: no %q entry", ErrCorruptTurtle, turtleKeyVersion)
	}
	nums, err := parseVersionFields(raw, "major", "minor", "patch")
	if err != nil {
		return turtle{}, fmt.Errorf("%w: %q: %v", ErrCorruptTurtle, turtleKeyVersion, err)
	}
	t := turtle{version: WTVersion{Major: nums[0], Minor: nums[1], Patch: nums[2], String: kv[turtleKeyVerStr]}}
	if raw, ok := kv[turtleKeyCompat]; ok {
		c, err := parseVersionFields(raw, "major", "minor")
		if err != nil {
			return turtle{}, fmt.Errorf("%w: %q: %v", ErrCorruptTurtle, turtleKeyCompat, err)
		}
		t.compat = fmt.Sprintf("%d.%d", c[0], c[1])
	}
	return t, nil
}

func turtlePairs(data []byte) (map[string]string, error) {
	text := strings.TrimSuffix(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if text == "" {
		return nil, fmt.Errorf("%w: the file is empty", ErrCorruptTurtle)
	}
	lines := strings.Split(text, "\n")
	if len(lines)%2 != 0 {
		return nil, fmt.Errorf("%w: key %q on line %d has no value line (truncated?)",
			ErrCorruptTurtle, lines[len(lines)-1], len(lines))
	}
	kv := make(map[string]string, len(lines)/2)
	for i := 0; i < len(lines); i += 2 {
		kv[lines[i]] = lines[i+1]
	}
	return kv, nil
}

// parseVersionFields parses "major=10,minor=0,patch=2" and returns the
// values of the names asked for, in order. Unknown names are ignored.
func parseVersionFields(s string, names ...string) ([]int, error) {
	found := map[string]int{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not name=number", part)
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not a non-negative number", part)
		}
		found[k] = n
	}
	out := make([]int, len(names))
	for i, name := range names {
		n, ok := found[name]
		if !ok {
			return nil, fmt.Errorf("no %s= in %q", name, s)
		}
		out[i] = n
	}
	return out, nil
}
