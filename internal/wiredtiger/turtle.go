package wiredtiger

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Turtle is the content of WiredTiger.turtle: the library version that last
// checkpointed the database and the configuration (including the checkpoint)
// of the metadata file WiredTiger.wt.
type Turtle struct {
	VersionString  string // e.g. "WiredTiger 10.0.2: (November 30, 2021)"
	Major          int
	Minor          int
	Patch          int
	Compatibility  string // "major=M,minor=m" when present, else ""
	MetadataConfig string // configuration of file:WiredTiger.wt
}

const maxTurtleSize = 1 << 20

// ReadTurtle reads and parses dir/WiredTiger.turtle.
func ReadTurtle(dir string) (*Turtle, error) {
	path := dir + string(os.PathSeparator) + "WiredTiger.turtle"
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read WiredTiger turtle file: %w", err)
	}
	if fi.Size() > maxTurtleSize {
		return nil, corruptAt(path, 0, "turtle file is %d bytes, larger than any real one", fi.Size())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read WiredTiger turtle file: %w", err)
	}
	t, err := ParseTurtle(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// ParseTurtle parses the text of a turtle file: lines alternating between a
// key and its value.
func ParseTurtle(text string) (*Turtle, error) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines)%2 != 0 {
		return nil, fmt.Errorf("%w: turtle file has an odd number of lines (%d)", ErrCorrupt, len(lines))
	}
	t := &Turtle{}
	var haveMeta, haveVersion bool
	for i := 0; i < len(lines); i += 2 {
		key, val := lines[i], lines[i+1]
		switch key {
		case "WiredTiger version string":
			t.VersionString = val
		case "WiredTiger version":
			if err := t.parseVersion(val); err != nil {
				return nil, err
			}
			haveVersion = true
		case "Compatibility version":
			t.Compatibility = val
		case "file:WiredTiger.wt":
			t.MetadataConfig = val
			haveMeta = true
		}
	}
	if !haveMeta {
		return nil, fmt.Errorf("%w: turtle file has no file:WiredTiger.wt entry", ErrCorrupt)
	}
	if !haveVersion {
		return nil, fmt.Errorf("%w: turtle file has no \"WiredTiger version\" entry", ErrCorrupt)
	}
	return t, nil
}

func (t *Turtle) parseVersion(val string) error {
	items, err := ParseConfig(val)
	if err != nil {
		return fmt.Errorf("%w: turtle version line: %v", ErrCorrupt, err)
	}
	for _, it := range items {
		n, err := strconv.Atoi(it.Value)
		if err != nil {
			return fmt.Errorf("%w: turtle version line %q", ErrCorrupt, val)
		}
		switch it.Key {
		case "major":
			t.Major = n
		case "minor":
			t.Minor = n
		case "patch":
			t.Patch = n
		}
	}
	return nil
}
