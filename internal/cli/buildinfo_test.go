package cli

import (
	"runtime/debug"
	"testing"
)

func TestFillFromBuildInfo(t *testing.T) {
	v, c, d := Version, Commit, Date
	t.Cleanup(func() { Version, Commit, Date = v, c, d })
	Version, Commit, Date = "dev", "unknown", "unknown"
	fillFromBuildInfo(func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"}}}, true
	})
	if Version != "v1.2.3" || Commit != "0123456" || Date != "2026-11-30T10:00:00Z" {
		t.Fatalf("go install build: %s %s %s", Version, Commit, Date)
	}
	// stamped values win
	Version, Commit, Date = "1.0.0", "abcdef0", "2026-01-01"
	fillFromBuildInfo(func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "ffffffffff"}}}, true
	})
	if Version != "1.0.0" || Commit != "abcdef0" || Date != "2026-01-01" {
		t.Fatalf("stamped build changed: %s %s %s", Version, Commit, Date)
	}
}
