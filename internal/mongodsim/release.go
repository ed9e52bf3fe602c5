package mongodsim

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a full server version such as 4.0.28.
type Version struct {
	Major, Minor, Patch int
}

// ParseVersion parses "X.Y.Z".
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("version %q is not of the form X.Y.Z", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("version %q is not of the form X.Y.Z", s)
		}
		n[i] = v
	}
	return Version{n[0], n[1], n[2]}, nil
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// MajorString is "X.Y".
func (v Version) MajorString() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// fcvNum turns "X.Y" into a comparable number; ok is false for anything else.
func fcvNum(s string) (int, bool) {
	a, b, found := strings.Cut(s, ".")
	if !found {
		return 0, false
	}
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || x < 0 || y < 0 || y > 99 {
		return 0, false
	}
	return x*100 + y, true
}

// majorAtLeast compares two "X.Y" strings; unknown strings compare as 0.
func majorAtLeast(have, want string) bool {
	h, _ := fcvNum(have)
	w, _ := fcvNum(want)
	return h >= w
}

// Binary is the simulated mongod: one full version and its release row.
type Binary struct {
	Version Version
	Release Release
}

// NewBinary validates a full version string against the table.
func NewBinary(full string) (Binary, error) {
	v, err := ParseVersion(full)
	if err != nil {
		return Binary{}, err
	}
	r, ok := LookupRelease(v.MajorString())
	if !ok {
		return Binary{}, fmt.Errorf("version %s is not simulated (simulated majors: %s)",
			v, strings.Join(supportedMajors(), ", "))
	}
	return Binary{Version: v, Release: r}, nil
}

func (b Binary) atLeast(major string) bool { return majorAtLeast(b.Release.Major, major) }

// JSONLog: structured logv2 from 4.4 on.
func (b Binary) JSONLog() bool { return b.atLeast("4.4") }

// HasOpMsg: OP_MSG exists from 3.6 on.
func (b Binary) HasOpMsg() bool { return b.atLeast("3.6") }

// OpQueryHandshakeOnly: 6.0 removed OP_QUERY for everything but hello/isMaster.
func (b Binary) OpQueryHandshakeOnly() bool { return b.atLeast("6.0") }

// HasHello: the `hello` command (4.4.2+, modelled as 4.4+).
func (b Binary) HasHello() bool { return b.atLeast("4.4") }

// HasSessions: logical sessions (3.6+).
func (b Binary) HasSessions() bool { return b.atLeast("3.6") }

// NeedsAVX: 5.0+ x86_64 builds use AVX.
func (b Binary) NeedsAVX() bool { return b.atLeast("5.0") }

// SupportsMMAPv1: MMAPv1 was removed in 4.2.
func (b Binary) SupportsMMAPv1() bool { return !b.atLeast("4.2") }

// RequiresUUIDs: 4.0 refuses collections without UUIDs.
func (b Binary) RequiresUUIDs() bool { return b.atLeast("4.0") }

// HasFCVDocumentParameter: getParameter returns a document (3.6+), a string on 3.4.
func (b Binary) HasFCVDocumentParameter() bool { return b.atLeast("3.6") }

// HasPreviousVersion: 5.0+ downgrading FCV documents carry previousVersion.
func (b Binary) HasPreviousVersion() bool { return b.atLeast("5.0") }

// HasBindIPAll: --bind_ip_all exists from 3.6 on.
func (b Binary) HasBindIPAll() bool { return b.atLeast("3.6") }

// HasJournalFlag: --journal was removed in 7.0 (journaling always on since 6.1).
func (b Binary) HasJournalFlag() bool { return !b.atLeast("7.0") }

// IndexSpecHasNS: index specs carry "ns" before 4.4.
func (b Binary) IndexSpecHasNS() bool { return !b.atLeast("4.4") }

// LenientCreateDrop: 7.0 made create-existing (same options) and drop-missing succeed.
func (b Binary) LenientCreateDrop() bool { return b.atLeast("7.0") }

// KernelGuarded: this exact build refuses to start on kernel >= 6.19.
func (b Binary) KernelGuarded() bool {
	k := b.Release.Kernel
	return k.Affected && k.GuardFromPatch >= 0 && b.Version.Patch >= k.GuardFromPatch
}

// LatestFCV is the FCV a fresh dbpath gets.
func (b Binary) LatestFCV() string { return b.Release.StartupFCVs[len(b.Release.StartupFCVs)-1] }

// LowestFCV is the oldest FCV the binary starts with (lastLTS).
func (b Binary) LowestFCV() string { return b.Release.StartupFCVs[0] }

// KnowsFCV reports whether v is one of the binary's start-up FCV values.
func (b Binary) KnowsFCV(v string) bool { return contains(b.Release.StartupFCVs, v) }

// Allocator as reported by buildInfo.
func (b Binary) Allocator() string {
	if b.atLeast("8.0") {
		return "tcmalloc-google"
	}
	return "tcmalloc"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
