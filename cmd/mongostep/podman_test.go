package main_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mongostep/mongostep/internal/runtime/docker/dockertest"
)

// Podman's rootful Docker-compatible API, as scripts/ci-podman.sh starts it.
const defaultPodmanHost = "unix:///run/podman/podman.sock"

// TestPodmanScripts runs migrations through the docker runtime against
// Podman's Docker-compatible API (rootful `podman system service`), with
// the simulator images copied from Docker into Podman. It fails when Podman
// does not answer; only outside CI may MONGOSTEP_PODMAN_TESTS=off skip it.
func TestPodmanScripts(t *testing.T) {
	host := podmanHost(t)
	bins := buildBinaries(t)
	tags := dockertest.BuildMigration(t, "3.6", "4.4")
	loadIntoPodman(t, host, tags)
	testscript.Run(t, scriptParams(bins, "testdata/podman", func(work string) {
		removePodmanContainersUnder(work)
		killProcessesUnder(work)
	}, map[string]string{"DOCKER_HOST": host, "PODMAN_HOST": host}))
}

// podmanHost is Podman's API endpoint (MONGOSTEP_PODMAN_HOST, else the
// rootful socket). When it does not answer the test fails, saying how to
// start it; MONGOSTEP_PODMAN_TESTS=off skips instead, except in CI.
func podmanHost(t *testing.T) string {
	t.Helper()
	if os.Getenv("MONGOSTEP_PODMAN_TESTS") == "off" {
		if os.Getenv("CI") == "true" {
			t.Fatal("MONGOSTEP_PODMAN_TESTS=off is ignored in CI: the Podman tests must run there")
		}
		t.Skip("MONGOSTEP_PODMAN_TESTS=off: Podman tests skipped on this machine")
	}
	host := os.Getenv("MONGOSTEP_PODMAN_HOST")
	if host == "" {
		host = defaultPodmanHost
	}
	cli := podmanClient(t, host)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		t.Fatalf("the Podman tests need Podman's API at %s: %v\n"+
			"  Start it (as root): scripts/ci-podman.sh (installs podman, sets default_ulimits = [], runs `podman system service`).\n"+
			"  Or, outside CI only, skip them: MONGOSTEP_PODMAN_TESTS=off", host, err)
	}
	found := false
	for _, c := range v.Components {
		found = found || strings.Contains(c.Name, "Podman")
	}
	if !found {
		t.Fatalf("%s answers, but it is not Podman (%s %s)", host, v.Platform.Name, v.Version)
	}
	return host
}

func podmanClient(t *testing.T, host string) *client.Client {
	t.Helper()
	cli, err := client.New(client.WithHost(host), client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatalf("client for %s: %v", host, err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// loadIntoPodman copies images from Docker into Podman (docker save |
// podman load, through both engines' APIs) and names them as a pull from
// Docker Hub would (docker.io/library/mongo:4.0.27, which mongo:4.0.27
// resolves to).
func loadIntoPodman(t *testing.T, host string, tags []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	saved, err := dockertest.Client(t).ImageSave(ctx, tags)
	if err != nil {
		t.Fatalf("docker save %s: %v", strings.Join(tags, " "), err)
	}
	defer saved.Close()
	pc := podmanClient(t, host)
	res, err := pc.ImageLoad(ctx, saved, client.ImageLoadWithQuiet(true))
	if err != nil {
		t.Fatalf("load the simulator images into Podman: %v", err)
	}
	defer res.Close()
	dec := json.NewDecoder(res)
	for {
		var msg struct {
			Stream, Error string
		}
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("load the simulator images into Podman: %v", err)
		}
		if msg.Error != "" {
			t.Fatalf("load the simulator images into Podman: %s", msg.Error)
		}
	}
	// Podman names what it loads localhost/mongo:X; a pulled image is
	// docker.io/library/mongo:X, as mongostep's users have it.
	for _, tag := range tags {
		hub := "docker.io/library/" + tag
		if _, err := pc.ImageTag(ctx, client.ImageTagOptions{Source: "localhost/" + tag, Target: hub}); err != nil {
			t.Fatalf("podman tag localhost/%s %s: %v", tag, hub, err)
		}
		if _, err := pc.ImageRemove(ctx, "localhost/"+tag, client.ImageRemoveOptions{}); err != nil {
			t.Fatalf("podman untag localhost/%s: %v", tag, err)
		}
		res, err := pc.ImageInspect(ctx, tag)
		if err != nil || len(res.RepoTags) != 1 || res.RepoTags[0] != hub {
			t.Fatalf("after loading, Podman resolves %s to %v (%v), want %s", tag, res.RepoTags, err, hub)
		}
	}
}

// removePodmanContainersUnder removes the containers a script left in
// Podman whose mongostep dbpath label points into its work folder.
func removePodmanContainersUnder(dir string) {
	out, err := exec.Command("podman", "ps", "-a", "--filter", "label=mongostep.run",
		"--format", `{{.ID}} {{index .Labels "mongostep.dbpath"}}`).Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		id, path, _ := strings.Cut(line, " ")
		if id != "" && strings.HasPrefix(path, dir) {
			_ = exec.Command("podman", "rm", "-f", "-v", id).Run()
		}
	}
}
