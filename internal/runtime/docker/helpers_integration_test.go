//go:build linux

package docker_test

// The integration tests run against the real Docker Engine (DOCKER_HOST or
// the usual socket). When it does not answer they fail: they never skip.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/mongo"
	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
	"github.com/mongostep/mongostep/internal/runtime/docker"
	"github.com/mongostep/mongostep/internal/runtime/docker/dockertest"
)

func newRuntime(t *testing.T) *docker.Runtime {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := docker.New(ctx, docker.Options{})
	if err != nil {
		t.Fatalf("the Docker tests need a running engine and never skip: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// stepSpec is a step on a fresh dbpath (db/ and, for ClearML's layout, configdb/).
func stepSpec(t *testing.T, image, version string, clearml bool) runtime.Spec {
	t.Helper()
	root := t.TempDir()
	spec := runtime.Spec{
		Version: plan.MustVersion(version), Image: image,
		DBPath: filepath.Join(root, "db"), LogPath: filepath.Join(t.TempDir(), "logs", "step-1-mongod-"+version+".log"),
		RunID: dockertest.RunID(t), Name: "step 1: " + version,
	}
	mkdir(t, spec.DBPath)
	if clearml {
		spec.ConfigDB = filepath.Join(root, "configdb")
		mkdir(t, spec.ConfigDB)
	}
	return spec
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func start(t *testing.T, r *docker.Runtime, spec runtime.Spec) runtime.Instance {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	in, err := r.Start(ctx, spec)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return in
}

func connect(t *testing.T, in runtime.Instance) *mongo.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := mongo.Connect(ctx, in.Addr(), in.Done())
	if err != nil {
		t.Fatalf("connect to %s at %s: %v (exit %v)\n%s", in.Describe(), in.Addr(), err, in.Exit(), strings.Join(in.Exit().LogTail, "\n"))
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func stop(t *testing.T, in runtime.Instance) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return in.Stop(ctx)
}

// containerName is the name in "container NAME (IMAGE)".
func containerName(in runtime.Instance) string {
	f := strings.Fields(in.Describe())
	if len(f) < 2 || f[0] != "container" {
		return ""
	}
	return f[1]
}

func exists(t *testing.T, cli *client.Client, name string) bool {
	t.Helper()
	_, err := cli.ContainerInspect(context.Background(), name, client.ContainerInspectOptions{})
	if err != nil && !cerrdefs.IsNotFound(err) {
		t.Fatalf("inspect %s: %v", name, err)
	}
	return err == nil
}

func owner(t *testing.T, p string) (uid, gid uint32) {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil {
		t.Fatal(err)
	}
	return st.Uid, st.Gid
}

func lockSize(t *testing.T, dbpath string) int64 {
	t.Helper()
	st, err := os.Stat(filepath.Join(dbpath, "mongod.lock"))
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, p string) {
	t.Helper()
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}
