//go:build linux

package docker_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/runtime/docker/dockertest"
)

// An interrupted run "forgets" its running container; the next process finds
// it by the run's label, stops it cleanly and removes it, and removes the
// exited container an earlier attempt kept.
func TestLeftoversAfterForgottenContainer(t *testing.T) {
	dockertest.BuildImages(t, "mongo:4.0.27")
	first := newRuntime(t)
	spec := stepSpec(t, "mongo:4.0.27", "4.0", false)
	kept := start(t, first, spec)
	connect(t, kept)
	if err := kept.Kill(); err != nil {
		t.Fatal(err)
	}
	<-kept.Done()
	forgotten := start(t, first, spec) // recovers, then runs on: the process "dies" here
	connect(t, forgotten)

	second := newRuntime(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	found, err := second.Leftovers(ctx, spec.RunID, spec.DBPath)
	if err != nil {
		t.Fatalf("Leftovers: %v (found %q)", err, found)
	}
	if len(found) != 2 {
		t.Fatalf("found = %q, want the kept and the forgotten container", found)
	}
	all := strings.Join(found, "\n")
	for _, want := range []string{
		"container " + containerName(kept) + " (mongo:4.0.27) left by an earlier attempt (Exited (137)",
		"container " + containerName(forgotten) + " (mongo:4.0.27) left running by an interrupted run; mongod shut down cleanly; container removed",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("found lacks %q:\n%s", want, all)
		}
	}
	for _, in := range []string{containerName(kept), containerName(forgotten)} {
		if exists(t, second.Client(), in) {
			t.Errorf("container %s still exists", in)
		}
	}
	if lockSize(t, spec.DBPath) != 0 {
		t.Errorf("mongod.lock not empty after the leftover was stopped")
	}
	if again, err := second.Leftovers(ctx, spec.RunID, spec.DBPath); err != nil || len(again) != 0 {
		t.Errorf("second Leftovers = %q, %v; want nothing", again, err)
	}
}

// runForeign starts a container mongostep did not create, bind-mounting dir
// at /data/db, named and labelled like ClearML's compose service.
func runForeign(t *testing.T, cli *client.Client, name, dir string, labels map[string]string) {
	t.Helper()
	owner := "mongostep.testowner"
	id := "t" + strings.ReplaceAll(t.Name(), "/", "-")
	if labels == nil {
		labels = map[string]string{}
	}
	labels[owner] = id
	t.Cleanup(func() { dockertest.RemoveContainers(t, cli, owner+"="+id) })
	ctx := context.Background()
	res, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name:       name,
		Config:     &container.Config{Image: "mongo:3.6.23", Labels: labels},
		HostConfig: &container.HostConfig{Mounts: []mount.Mount{{Type: mount.TypeBind, Source: dir, Target: "/data/db"}}},
	})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	if _, err := cli.ContainerStart(ctx, res.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
}

func TestUsersOfFindsRunningContainer(t *testing.T) {
	dockertest.BuildImages(t, "mongo:3.6.23")
	r := newRuntime(t)
	root := t.TempDir()
	data := filepath.Join(root, "mongo")
	mkdir(t, filepath.Join(data, "db"))
	name := "clearml-mongo-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	runForeign(t, r.Client(), name, filepath.Join(data, "db"), map[string]string{
		"com.docker.compose.project": "clearml", "com.docker.compose.service": "mongo",
	})
	stopped := filepath.Join(root, "stopped")
	mkdir(t, stopped)
	ctx := context.Background()

	users, err := r.UsersOf(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 || users[0].What != "container "+name || users[0].Path != filepath.Join(data, "db") ||
		users[0].Stop != "docker-compose -f /opt/clearml/docker-compose.yml down" {
		t.Fatalf("UsersOf(%s) = %+v", data, users)
	}
	if users, err := r.UsersOf(ctx, stopped); err != nil || len(users) != 0 {
		t.Errorf("UsersOf(an unused folder) = %+v, %v", users, err)
	}
	// Leftovers refuses to touch a container it did not start on its dbpath.
	_, err = r.Leftovers(ctx, "some-run", filepath.Join(data, "db"))
	if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "did not start") {
		t.Errorf("Leftovers with a foreign container = %v", err)
	}
}

// A stopped container holding the folder does not use it.
func TestUsersOfIgnoresStoppedContainer(t *testing.T) {
	dockertest.BuildImages(t, "mongo:3.6.23")
	r := newRuntime(t)
	dir := t.TempDir()
	name := "stopped-" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	runForeign(t, r.Client(), name, dir, nil)
	timeout := 60
	if _, err := r.Client().ContainerStop(context.Background(), name, client.ContainerStopOptions{Timeout: &timeout}); err != nil {
		t.Fatal(err)
	}
	if users, err := r.UsersOf(context.Background(), dir); err != nil || len(users) != 0 {
		t.Errorf("UsersOf = %+v, %v; want no user", users, err)
	}
}
