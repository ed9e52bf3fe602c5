package plan

import (
	"fmt"
	"sort"
	"strings"
)

// Target is what the user asked to reach.
type Target struct {
	Version Version
	// Name is what the user typed: "4.4" or "clearml-1.2".
	Name string
	// ClearML is the ClearML Server release this target stands for, if any.
	ClearML string
	// FinalImage, when set, is the image the product's own compose file runs
	// for the last step (so the image the user already pulled is reused).
	FinalImage string
}

// ClearMLRelease is a ClearML Server release and the MongoDB it runs
// (../shared/spec/clearml.md).
type ClearMLRelease struct {
	Name    string // "clearml-1.2"
	Server  string // "1.2"
	Version Version
	Image   string
}

// ClearMLReleases are the ClearML Server releases --to accepts by name.
var ClearMLReleases = []ClearMLRelease{
	{"clearml-1.2", "1.2", Version{4, 4}, "mongo:4.4.9"},
	{"clearml-1.17", "1.17", Version{5, 0}, "mongo:5.0.26"},
	{"clearml-2.0", "2.0", Version{6, 0}, "mongo:6.0.19"},
	{"clearml-2.3", "2.3", Version{7, 0}, "mongo:7.0.22"},
	{"clearml-2.4", "2.4", Version{8, 0}, "mongo:8.0.15"},
}

// DefaultTarget is the ClearML v1.2 migration the tool exists for.
const DefaultTarget = "clearml-1.2"

// ParseTarget reads --to: a release line ("4.4", "8.0") or a ClearML release
// name ("clearml-2.0").
func ParseTarget(s string) (Target, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(name, "clearml") {
		for _, c := range ClearMLReleases {
			if c.Name == name {
				return Target{Version: c.Version, Name: c.Name, ClearML: c.Server, FinalImage: c.Image}, nil
			}
		}
		return Target{}, fmt.Errorf("--to %s: unknown ClearML release; known: %s", s, clearMLNames())
	}
	v, err := ParseVersion(name)
	if err != nil {
		return Target{}, fmt.Errorf("--to %s: %w; known: %s, %s", s, err, targetList(), clearMLNames())
	}
	for _, t := range Targets() {
		if t == v {
			return Target{Version: v, Name: v.String()}, nil
		}
	}
	return Target{}, fmt.Errorf("--to %s: mongostep cannot upgrade to MongoDB %s; it can reach %s (or %s)", s, v, targetList(), clearMLNames())
}

func targetList() string {
	var out []string
	for _, t := range Targets() {
		out = append(out, t.String())
	}
	return strings.Join(out, ", ")
}

func clearMLNames() string {
	var out []string
	for _, c := range ClearMLReleases {
		out = append(out, c.Name)
	}
	return strings.Join(out, ", ")
}

// ParseImageOverrides reads repeated --image MAJOR=IMAGE flags.
func ParseImageOverrides(list []string) (map[Version]string, error) {
	out := map[Version]string{}
	for _, item := range list {
		k, img, ok := strings.Cut(item, "=")
		if !ok || strings.TrimSpace(img) == "" {
			return nil, fmt.Errorf("--image %q: want MAJOR=IMAGE, for example --image 4.0=registry.local/mongo:4.0.28", item)
		}
		v, err := ParseVersion(k)
		if err != nil {
			return nil, fmt.Errorf("--image %q: %w", item, err)
		}
		if _, ok := Lookup(v); !ok {
			return nil, fmt.Errorf("--image %q: mongostep knows no MongoDB %s", item, v)
		}
		out[v] = strings.TrimSpace(img)
	}
	return out, nil
}

// SortVersions sorts in place, oldest first.
func SortVersions(v []Version) {
	sort.Slice(v, func(i, j int) bool { return v[i].Less(v[j]) })
}
