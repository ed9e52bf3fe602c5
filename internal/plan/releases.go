package plan

// Release is what mongostep knows of one MongoDB release line. The table is
// data, not code: adding a release means adding a row and its hops.
type Release struct {
	Version Version
	// Kind is "major" (an LTS line such as 7.0) or "minor" (8.2, 8.3).
	Kind string
	// StartFCVs are the featureCompatibilityVersion values this binary
	// accepts at start-up (../shared/spec/mongod-upgrade-facts.md §1.1).
	StartFCVs []Version
	// Wire is the maxWireVersion the server reports.
	Wire int
	// Confirm: setFeatureCompatibilityVersion needs confirm: true (7.0+);
	// older servers reject the field.
	Confirm bool
	// DryRun: setFeatureCompatibilityVersion accepts dryRun: true (8.3+).
	DryRun bool
	// Image is the default official image tag for this line's steps.
	Image string
	// EOL is the end of life date as MongoDB publishes it (YYYY-MM-DD).
	EOL string
	// WiredTiger lists the WiredTiger library versions (major.minor) that
	// builds of this line have shipped, for offline detection.
	WiredTiger []string
	// NeedsAVX: x86-64 builds die with SIGILL on CPUs without AVX (5.0+).
	NeedsAVX bool
	// TCMallocRseq: builds use Google TCMalloc with per-CPU caches (8.0+),
	// which Linux 6.19 and newer break unless glibc's rseq is turned off.
	TCMallocRseq bool
}

// Releases are ordered oldest first.
var Releases = []Release{
	{Version: Version{3, 4}, Kind: "major", StartFCVs: vs("3.2", "3.4"), Wire: 5, Image: "mongo:3.4.24", EOL: "2020-01-31", WiredTiger: []string{"2.8", "2.9"}},
	{Version: Version{3, 6}, Kind: "major", StartFCVs: vs("3.4", "3.6"), Wire: 6, Image: "mongo:3.6.23", EOL: "2021-04-30", WiredTiger: []string{"3.0", "3.1"}},
	{Version: Version{4, 0}, Kind: "major", StartFCVs: vs("3.6", "4.0"), Wire: 7, Image: "mongo:4.0.27", EOL: "2022-04-30", WiredTiger: []string{"3.1"}},
	{Version: Version{4, 2}, Kind: "major", StartFCVs: vs("4.0", "4.2"), Wire: 8, Image: "mongo:4.2.16", EOL: "2023-04-30", WiredTiger: []string{"3.2", "3.3"}},
	{Version: Version{4, 4}, Kind: "major", StartFCVs: vs("4.2", "4.4"), Wire: 9, Image: "mongo:4.4.9", EOL: "2024-02-29", WiredTiger: []string{"10.0"}},
	{Version: Version{5, 0}, Kind: "major", StartFCVs: vs("4.4", "4.9", "5.0"), Wire: 13, Image: "mongo:5.0.31", EOL: "2024-10-31", WiredTiger: []string{"10.0"}, NeedsAVX: true},
	{Version: Version{6, 0}, Kind: "major", StartFCVs: vs("5.0", "5.3", "6.0"), Wire: 17, Image: "mongo:6.0.26", EOL: "2025-07-31", WiredTiger: []string{"10.0"}, NeedsAVX: true},
	{Version: Version{7, 0}, Kind: "major", StartFCVs: vs("6.0", "6.3", "7.0"), Wire: 21, Confirm: true, Image: "mongo:7.0.37", EOL: "2027-08-31", WiredTiger: []string{"11.2"}, NeedsAVX: true},
	{Version: Version{8, 0}, Kind: "major", StartFCVs: vs("7.0", "7.3", "8.0"), Wire: 25, Confirm: true, Image: "mongo:8.0.26", EOL: "2029-10-31", WiredTiger: []string{"11.3"}, NeedsAVX: true, TCMallocRseq: true},
	{Version: Version{8, 2}, Kind: "minor", StartFCVs: vs("8.0", "8.1", "8.2"), Wire: 27, Confirm: true, Image: "mongo:8.2.12", EOL: "2026-07-31", WiredTiger: []string{"12.0"}, NeedsAVX: true, TCMallocRseq: true},
	{Version: Version{8, 3}, Kind: "minor", StartFCVs: vs("8.0", "8.2", "8.3"), Wire: 28, Confirm: true, DryRun: true, Image: "mongo:8.3.9", EOL: "", WiredTiger: []string{"12.0", "12.1"}, NeedsAVX: true, TCMallocRseq: true},
	{Version: Version{9, 0}, Kind: "major", StartFCVs: vs("8.0", "8.3", "9.0"), Wire: 29, Confirm: true, DryRun: true, Image: "mongo:9.0", EOL: "", WiredTiger: []string{"12.1", "12.2"}, NeedsAVX: true, TCMallocRseq: true},
}

// Hops are the documented upgrade hops: each binary line can open data
// whose FCV is the line it comes from.
var Hops = [][2]Version{
	{{3, 4}, {3, 6}}, {{3, 6}, {4, 0}}, {{4, 0}, {4, 2}}, {{4, 2}, {4, 4}}, {{4, 4}, {5, 0}},
	{{5, 0}, {6, 0}}, {{6, 0}, {7, 0}}, {{7, 0}, {8, 0}},
	{{8, 0}, {8, 2}}, {{8, 0}, {8, 3}}, {{8, 0}, {9, 0}}, {{8, 2}, {8, 3}}, {{8, 3}, {9, 0}},
}

// MinDriverWire is the lowest wire version mongostep's MongoDB driver speaks
// (3.6). Older servers can only be started and stopped, not talked to.
const MinDriverWire = 6

// Lookup finds the release line of v.
func Lookup(v Version) (Release, bool) {
	for _, r := range Releases {
		if r.Version == v {
			return r, true
		}
	}
	return Release{}, false
}

// AcceptsFCV reports whether binary line r starts on data whose FCV is f.
func (r Release) AcceptsFCV(f Version) bool {
	for _, s := range r.StartFCVs {
		if s == f {
			return true
		}
	}
	return false
}

// Targets are the versions --to accepts.
func Targets() []Version {
	var out []Version
	for _, r := range Releases {
		if r.Wire >= MinDriverWire && r.Version != (Version{3, 6}) {
			out = append(out, r.Version)
		}
	}
	return out
}

// MajorsForWiredTiger lists the release lines whose builds shipped WiredTiger
// library version major.minor (the WiredTiger.turtle version). Several lines
// share a library version, so the answer is often ambiguous.
func MajorsForWiredTiger(major, minor int) []Version {
	key := Version{major, minor}.String()
	var out []Version
	for _, r := range Releases {
		for _, w := range r.WiredTiger {
			if w == key {
				out = append(out, r.Version)
			}
		}
	}
	return out
}

func vs(list ...string) []Version {
	out := make([]Version, len(list))
	for i, s := range list {
		out[i] = MustVersion(s)
	}
	return out
}
