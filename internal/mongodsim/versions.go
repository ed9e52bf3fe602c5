package mongodsim

// The version table: everything that differs between simulated majors and is a plain fact
// (wire version, startup FCVs, WiredTiger library version, setFCV rules, kernel-6.19 guard).
// Behaviour that follows from the major's position in the chain (log format, OP_MSG, UUIDs, ...)
// lives in release.go as methods.

// WTVersion is a WiredTiger library version as written into WiredTiger.turtle.
type WTVersion struct {
	Major, Minor, Patch int
	// Date is the release date in WiredTiger's "%B %e, %Y" form (day space-padded).
	Date string
}

// ConfirmRule says how a release treats setFeatureCompatibilityVersion's `confirm` field.
type ConfirmRule int

const (
	// ConfirmUnknown: the field is rejected as unknown (code 40415), as on 6.0 and older.
	ConfirmUnknown ConfirmRule = iota
	// ConfirmRequired: an FCV change without confirm:true fails with code 7369100 (7.0+).
	ConfirmRequired
)

// KernelGuard describes a release's behaviour on Linux >= 6.19 with tcmalloc per-CPU caches on
// (SERVER-121912).
type KernelGuard struct {
	// Affected: the build uses tcmalloc-google with rseq (8.0+).
	Affected bool
	// GuardFromPatch is the first patch with the start-up guard (fatal 12257600, exit 1);
	// -1 means no build of this major has it (they crash with SIGSEGV instead).
	GuardFromPatch int
}

// Release is one simulated major.
type Release struct {
	Major string // "4.0"
	Wire  int32  // maxWireVersion
	// StartupFCVs are the FCV values this binary accepts at start-up, oldest first
	// (lastLTS [, lastContinuous], latest). The last one is what a fresh dbpath gets.
	StartupFCVs []string
	// SetFCVTargets are the values setFeatureCompatibilityVersion accepts, oldest first.
	SetFCVTargets []string
	Confirm       ConfirmRule
	DryRun        bool // setFCV dryRun field known (8.3+)
	WT            WTVersion
	// WTLogVersion is the log-format version in WiredTigerLog.* headers this release writes.
	WTLogVersion uint16
	Kernel       KernelGuard
	DistMod      string // buildEnvironment.distmod
	OpenSSL      string
}

var releases = []Release{
	{Major: "3.4", Wire: 5, StartupFCVs: []string{"3.2", "3.4"}, SetFCVTargets: []string{"3.2", "3.4"},
		WT: WTVersion{2, 9, 2, "June 26, 2017"}, WTLogVersion: 1,
		DistMod: "ubuntu1604", OpenSSL: "OpenSSL 1.0.2g  1 Mar 2016"},
	{Major: "3.6", Wire: 6, StartupFCVs: []string{"3.4", "3.6"}, SetFCVTargets: []string{"3.4", "3.6"},
		WT: WTVersion{3, 1, 1, "December 11, 2018"}, WTLogVersion: 2,
		DistMod: "ubuntu1604", OpenSSL: "OpenSSL 1.0.2g  1 Mar 2016"},
	{Major: "4.0", Wire: 7, StartupFCVs: []string{"3.6", "4.0"}, SetFCVTargets: []string{"3.6", "4.0"},
		WT: WTVersion{3, 1, 1, "July 12, 2018"}, WTLogVersion: 3,
		DistMod: "ubuntu1604", OpenSSL: "OpenSSL 1.0.2g  1 Mar 2016"},
	{Major: "4.2", Wire: 8, StartupFCVs: []string{"4.0", "4.2"}, SetFCVTargets: []string{"4.0", "4.2"},
		WT: WTVersion{3, 3, 0, "April  8, 2020"}, WTLogVersion: 4,
		DistMod: "ubuntu1804", OpenSSL: "OpenSSL 1.1.1  11 Sep 2018"},
	{Major: "4.4", Wire: 9, StartupFCVs: []string{"4.2", "4.4"}, SetFCVTargets: []string{"4.2", "4.4"},
		WT: WTVersion{10, 0, 2, "November 30, 2021"}, WTLogVersion: 5,
		DistMod: "ubuntu2004", OpenSSL: "OpenSSL 1.1.1f  31 Mar 2020"},
	{Major: "5.0", Wire: 13, StartupFCVs: []string{"4.4", "4.9", "5.0"}, SetFCVTargets: []string{"4.4", "5.0"},
		WT: WTVersion{10, 0, 2, "December 21, 2021"}, WTLogVersion: 5,
		DistMod: "ubuntu2004", OpenSSL: "OpenSSL 1.1.1f  31 Mar 2020"},
	{Major: "6.0", Wire: 17, StartupFCVs: []string{"5.0", "5.3", "6.0"}, SetFCVTargets: []string{"5.0", "6.0"},
		WT: WTVersion{10, 0, 2, "December 21, 2021"}, WTLogVersion: 5,
		DistMod: "ubuntu2204", OpenSSL: "OpenSSL 3.0.2 15 Mar 2022"},
	{Major: "7.0", Wire: 21, StartupFCVs: []string{"6.0", "6.3", "7.0"}, SetFCVTargets: []string{"6.0", "7.0"},
		Confirm: ConfirmRequired,
		WT:      WTVersion{11, 2, 0, "December  1, 2023"}, WTLogVersion: 5,
		DistMod: "ubuntu2204", OpenSSL: "OpenSSL 3.0.2 15 Mar 2022"},
	{Major: "8.0", Wire: 25, StartupFCVs: []string{"7.0", "7.3", "8.0"}, SetFCVTargets: []string{"7.0", "8.0"},
		Confirm: ConfirmRequired,
		WT:      WTVersion{11, 3, 0, "November 16, 2023"}, WTLogVersion: 5,
		Kernel:  KernelGuard{Affected: true, GuardFromPatch: 28},
		DistMod: "ubuntu2404", OpenSSL: "OpenSSL 3.0.13 30 Jan 2024"},
	{Major: "8.2", Wire: 27, StartupFCVs: []string{"8.0", "8.1", "8.2"}, SetFCVTargets: []string{"8.0", "8.2"},
		Confirm: ConfirmRequired,
		WT:      WTVersion{12, 0, 0, "November 15, 2024"}, WTLogVersion: 5,
		Kernel:  KernelGuard{Affected: true, GuardFromPatch: -1},
		DistMod: "ubuntu2404", OpenSSL: "OpenSSL 3.0.13 30 Jan 2024"},
	{Major: "8.3", Wire: 28, StartupFCVs: []string{"8.0", "8.2", "8.3"}, SetFCVTargets: []string{"8.0", "8.2", "8.3"},
		Confirm: ConfirmRequired, DryRun: true,
		WT: WTVersion{12, 0, 0, "November 15, 2024"}, WTLogVersion: 5,
		Kernel:  KernelGuard{Affected: true, GuardFromPatch: 9},
		DistMod: "ubuntu2404", OpenSSL: "OpenSSL 3.0.13 30 Jan 2024"},
	{Major: "9.0", Wire: 29, StartupFCVs: []string{"8.0", "8.3", "9.0"}, SetFCVTargets: []string{"8.0", "8.3", "9.0"},
		Confirm: ConfirmRequired, DryRun: true,
		WT: WTVersion{12, 0, 0, "November 15, 2024"}, WTLogVersion: 5,
		Kernel:  KernelGuard{Affected: true, GuardFromPatch: 0},
		DistMod: "ubuntu2404", OpenSSL: "OpenSSL 3.0.13 30 Jan 2024"},
}

// Releases returns the simulated majors, oldest first.
func Releases() []Release { return append([]Release(nil), releases...) }

// LookupRelease returns the release for a major such as "4.0".
func LookupRelease(major string) (Release, bool) {
	for _, r := range releases {
		if r.Major == major {
			return r, true
		}
	}
	return Release{}, false
}

// supportedMajors lists the majors for error messages.
func supportedMajors() []string {
	out := make([]string, len(releases))
	for i, r := range releases {
		out[i] = r.Major
	}
	return out
}
