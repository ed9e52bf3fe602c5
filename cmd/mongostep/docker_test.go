package main_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mongostep/mongostep/internal/runtime/docker/dockertest"
)

// TestDockerScripts runs full migrations through the docker runtime against
// the real Docker Engine, with images built from the simulator and tagged as
// the official ones (no image can be pulled here). When the engine does not
// answer, dockertest fails the test: these never skip silently.
func TestDockerScripts(t *testing.T) {
	bins := buildBinaries(t)
	dockertest.BuildImages(t)
	testscript.Run(t, scriptParams(bins, "testdata/docker", func(work string) {
		removeContainersUnder(work)
		killProcessesUnder(work)
	}, nil))
}

// removeContainersUnder removes the containers a script left whose mongostep
// dbpath label, or name, points into its work folder.
func removeContainersUnder(dir string) {
	out, err := exec.Command("docker", "ps", "-a", "--filter", "label=mongostep.run",
		"--format", `{{.ID}} {{.Label "mongostep.dbpath"}}`).Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		id, path, _ := strings.Cut(line, " ")
		if id != "" && strings.HasPrefix(path, dir) {
			_ = exec.Command("docker", "rm", "-f", "-v", id).Run()
		}
	}
}
