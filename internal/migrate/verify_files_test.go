package migrate

import (
	"github.com/mongostep/mongostep/internal/fixtures"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var fixtureDBPaths = filepath.Join(fixtures.Dir(), "dbpaths")

// copyTree copies a fixture with cp -a (test set-up only).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
}

func filesRun(t *testing.T, source, work string) *run {
	return &run{paths: Paths{Source: source, Work: work}, j: &Journal{Layout: "dbpath"}}
}

func TestFilesCheckAgreesAndDisagrees(t *testing.T) {
	src := filepath.Join(fixtureDBPaths, "Abdelmageed__mongo-tutorial") // 3.4.1, clean, user data
	if _, err := os.Stat(src); err != nil {
		t.Fatalf("%s: %v", fixtures.Missing, err)
	}
	same := filepath.Join(t.TempDir(), "work")
	copyTree(t, src, same)
	f := filesRun(t, src, same).filesCheck()
	if !f.Ran || !f.OK || f.Documents == 0 {
		t.Fatalf("identical files: %+v", f)
	}

	other := filepath.Join(t.TempDir(), "work")
	copyTree(t, filepath.Join(fixtureDBPaths, "12end__node-news"), other)
	f = filesRun(t, src, other).filesCheck()
	if !f.Ran || f.OK || len(f.Differences) == 0 {
		t.Fatalf("different data passed the files check: %+v", f)
	}
}

func TestFilesCheckSkipsUncleanSource(t *testing.T) {
	src := filepath.Join(fixtureDBPaths, "ChristopherHarwell__CC_DB") // 5.0.2, mongod.lock not empty
	f := filesRun(t, src, t.TempDir()).filesCheck()
	if f.Ran || !strings.Contains(f.Skipped, "not shut down cleanly") {
		t.Fatalf("unclean source: %+v", f)
	}
}
