package main_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mongostep/mongostep/internal/runtime/docker/dockertest"
)

// toolImage is the tag the test gives mongostep's own image.
const toolImage = "mongostep:e2e-test"

// TestImageScripts builds mongostep's own image from the Dockerfile (FROM
// scratch: nothing is pulled) and runs migrations through it with the host's
// Docker socket, against images built from the simulator. Like every Docker
// test it fails, never skips, when the engine does not answer.
func TestImageScripts(t *testing.T) {
	bins := buildBinaries(t)
	dockertest.BuildMigration(t, "3.6", "4.4")
	buildToolImage(t)
	testscript.Run(t, scriptParams(bins, "testdata/image", func(work string) {
		removeContainersUnder(work)
		killProcessesUnder(work)
	}, map[string]string{"IMAGE": toolImage}))
}

// buildToolImage runs scripts/image-build.sh (the script behind `make
// image`) and removes the image when the test ends.
func buildToolImage(t *testing.T) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "image-build.sh"), toolImage)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("build mongostep's image (scripts/image-build.sh): %v\n%s", err, out)
	}
	if !strings.Contains(string(out), toolImage) {
		t.Fatalf("scripts/image-build.sh did not report %s:\n%s", toolImage, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", toolImage).Run() })
}
