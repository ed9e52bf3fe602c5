package cli

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

// stamp sets the build information as -ldflags -X would, for one test.
func stamp(t *testing.T, version, commit, date string) {
	t.Helper()
	v, c, d := Version, Commit, Date
	Version, Commit, Date = version, commit, date
	t.Cleanup(func() { Version, Commit, Date = v, c, d })
}

func TestVersionPrintsTheStamp(t *testing.T) {
	stamp(t, "1.4.2", "abc1234", "2026-01-31T10:00:00Z")
	code, out, _ := run(t, "version")
	want := "mongostep 1.4.2 (commit abc1234, built 2026-01-31T10:00:00Z, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if code != 0 || out != want {
		t.Fatalf("version: exit %d, %q; want %q", code, out, want)
	}
	code, out, _ = run(t, "--version")
	if code != 0 || out != want {
		t.Fatalf("--version: exit %d, %q; want %q", code, out, want)
	}
}

func TestVersionJSON(t *testing.T) {
	stamp(t, "1.4.2", "abc1234", "2026-01-31T10:00:00Z")
	code, out, _ := run(t, "version", "--json")
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("version --json: exit %d, %q; want one line", code, out)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("version --json is not JSON: %v\n%s", err, out)
	}
	want := map[string]string{"version": "1.4.2", "commit": "abc1234", "date": "2026-01-31T10:00:00Z", "go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("version --json %s = %q, want %q", k, got[k], v)
		}
	}
	if code, _, _ := run(t, "version", "extra"); code != ExitUsage {
		t.Errorf("version with an argument: exit %d, want %d", code, ExitUsage)
	}
}
