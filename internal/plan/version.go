// Package plan knows MongoDB's releases and their featureCompatibilityVersion
// (FCV) rules, and works out the path of steps from the version that last ran
// on a data directory to the version the user asked for.
package plan

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a MongoDB release line such as 4.4 or 8.2 (patch releases are
// not distinguished: every step runs the newest patch of its line).
type Version struct {
	Major, Minor int
}

// ParseVersion reads "4.4", "4.4.9" or "v4.4.9" and keeps major.minor.
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(t, ".")
	if len(parts) < 2 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR such as 4.4", s)
	}
	maj, err1 := strconv.Atoi(parts[0])
	min, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || maj < 0 || min < 0 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR such as 4.4", s)
	}
	return Version{maj, min}, nil
}

// MustVersion is ParseVersion for constants.
func MustVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Compare returns -1, 0 or 1.
func (v Version) Compare(o Version) int {
	switch {
	case v.Major != o.Major:
		return cmpInt(v.Major, o.Major)
	default:
		return cmpInt(v.Minor, o.Minor)
	}
}

func (v Version) Less(o Version) bool { return v.Compare(o) < 0 }

func (v Version) IsZero() bool { return v == Version{} }

// MarshalText and UnmarshalText make versions read well in JSON.
func (v Version) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

func (v *Version) UnmarshalText(b []byte) error {
	p, err := ParseVersion(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
