package backup

import (
	"os/exec"
	"strings"
	"testing"
)

// TestSystemTar checks that the archives are what `tar -C SOURCE .` makes in
// spirit and restore with the system's tar alone.
func TestSystemTar(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("no tar on this system")
	}
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			args := map[Format][]string{FormatTarGz: {"-xzf"}, FormatTarZst: {"--zstd", "-xf"}, FormatTar: {"-xf"}}[f]
			if f == FormatTarZst {
				if _, err := exec.LookPath("zstd"); err != nil {
					t.Skip("no zstd program: tar.zst is checked only with this package's reader (TestRoundTrip)")
				}
			}
			src, archive, _, _ := runBackup(t, f)
			list := runTool(t, "tar", append(args[:len(args)-1:len(args)-1], "-tf", archive)...)
			names := strings.Split(strings.TrimSpace(list), "\n")
			if names[0] != "./" || !contains(names, "./db/journal/") || !contains(names, "./db/WiredTiger") {
				t.Fatalf("archive names are not relative to the source (%q...)", names[:3])
			}
			dst := t.TempDir()
			runTool(t, "tar", append(args, archive, "-C", dst)...)
			compareTrees(t, src, dst)
			if f == FormatTarGz {
				runTool(t, "gzip", "-t", archive)
			}
		})
	}
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
