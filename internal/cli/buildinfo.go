package cli

import "runtime/debug"

func init() { fillFromBuildInfo(debug.ReadBuildInfo) }

// fillFromBuildInfo fills what -ldflags did not stamp (a `go install ...@v1.2.3`
// build) from the module version and VCS data Go records in the binary.
func fillFromBuildInfo(read func() (*debug.BuildInfo, bool)) {
	bi, ok := read()
	if !ok {
		return
	}
	if Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && Commit == "unknown" && len(s.Value) >= 7:
			Commit = s.Value[:7]
		case s.Key == "vcs.time" && Date == "unknown":
			Date = s.Value
		}
	}
}
