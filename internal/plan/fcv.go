package plan

import "fmt"

// FCV is the featureCompatibilityVersion document as getParameter returns it
// (the admin.system.version document without its _id).
type FCV struct {
	Version         string `json:"version" bson:"version"`
	TargetVersion   string `json:"targetVersion,omitempty" bson:"targetVersion,omitempty"`
	PreviousVersion string `json:"previousVersion,omitempty" bson:"previousVersion,omitempty"`
}

func (f FCV) String() string {
	switch {
	case f.TargetVersion == "":
		return f.Version
	case f.TargetVersion == f.Version:
		return fmt.Sprintf("%s (downgrading from %s, interrupted)", f.Version, f.PreviousVersion)
	default:
		return fmt.Sprintf("%s (upgrading to %s, interrupted)", f.Version, f.TargetVersion)
	}
}

// At reports whether the FCV is fully v (no transition under way).
func (f FCV) At(v Version) bool {
	return f.TargetVersion == "" && f.Version == v.String()
}

// CanRaise reports whether a mongod of line bin may run
// setFeatureCompatibilityVersion to bin on data at f: the FCV is one bin
// starts with, or a transition between such values.
func CanRaise(bin Version, f FCV) error {
	r, ok := Lookup(bin)
	if !ok {
		return fmt.Errorf("unknown MongoDB %s", bin)
	}
	for _, s := range []string{f.Version, f.TargetVersion, f.PreviousVersion} {
		if s == "" {
			continue
		}
		v, err := ParseVersion(s)
		if err != nil || (!r.AcceptsFCV(v) && v != bin) {
			return fmt.Errorf("MongoDB %s cannot raise FCV %s: it starts only on FCV %v", bin, f, r.StartFCVs)
		}
	}
	return nil
}
