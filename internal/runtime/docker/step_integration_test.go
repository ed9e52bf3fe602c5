//go:build linux

package docker_test

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/mongo"
	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
	"github.com/mongostep/mongostep/internal/runtime/docker/dockertest"
)

// One step on a bare dbpath: the container's shape, the Go driver over the
// published port, setFCV, the refused shutdown command, and a clean stop
// that removes the container and leaves the files to uid 999.
func TestStepStartConnectStop(t *testing.T) {
	dockertest.BuildImages(t, "mongo:4.0.27")
	r := newRuntime(t)
	spec := stepSpec(t, "mongo:4.0.27", "4.0", false)
	spec.Env = []string{"MONGOSTEP_TEST_ENV=passed"}
	in := start(t, r, spec)
	name := containerName(in)
	if !strings.HasPrefix(in.Addr(), "127.0.0.1:") || strings.HasSuffix(in.Addr(), ":0") {
		t.Fatalf("Addr = %q, want 127.0.0.1:<published port>", in.Addr())
	}
	c := connect(t, in)
	checkContainerShape(t, r.Client(), name, spec)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if v, err := c.Version(ctx); err != nil || v != "4.0.27" {
		t.Fatalf("version = %q, %v", v, err)
	}
	if err := c.SetFCV(ctx, plan.MustVersion("4.0"), false, false); err != nil {
		t.Fatalf("setFCV 4.0: %v", err)
	}
	if f, err := c.FCV(ctx); err != nil || f.Version != "4.0" {
		t.Fatalf("FCV = %+v, %v", f, err)
	}

	// The shutdown command over the published port does not come from
	// localhost inside the container: refused with code 13, mongod runs on.
	err := c.Shutdown(ctx)
	var ce *mongo.CommandError
	if !errors.As(err, &ce) || ce.Code() != 13 {
		t.Fatalf("shutdown over the published port: %v, want refused with code 13", err)
	}
	select {
	case <-in.Done():
		t.Fatalf("mongod exited after a refused shutdown: %v", in.Exit())
	case <-time.After(300 * time.Millisecond):
	}

	if err := stop(t, in); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	e := in.Exit()
	if !e.Clean() || e.Code != 0 || !e.LockEmpty || lockSize(t, spec.DBPath) != 0 {
		t.Fatalf("exit = %+v, want a clean stop", e)
	}
	if exists(t, r.Client(), name) {
		t.Errorf("container %s still exists after a clean stop", name)
	}
	log := readFile(t, spec.LogPath)
	for _, want := range []string{"waiting for connections", "got signal 15", "shutting down with code:0"} {
		if !strings.Contains(log, want) {
			t.Errorf("captured log lacks %q:\n%s", want, log)
		}
	}
	for _, f := range []string{".", "mongod.lock", "WiredTiger.turtle"} {
		if uid, _ := owner(t, filepath.Join(spec.DBPath, f)); uid != 999 {
			t.Errorf("%s owned by uid %d after the step, want 999 (the image's mongodb user)", f, uid)
		}
	}
	if err := in.Stop(ctx); err != nil {
		t.Errorf("a second Stop after a clean stop: %v", err)
	}
}

// checkContainerShape inspects the running container: labels, mounts,
// 127.0.0.1-only port, the image's entrypoint with `mongod`, no MONGO_INITDB_*.
func checkContainerShape(t *testing.T, cli *client.Client, name string, spec runtime.Spec) {
	t.Helper()
	res, err := cli.ContainerInspect(context.Background(), name, client.ContainerInspectOptions{})
	if err != nil {
		t.Fatalf("inspect %s: %v", name, err)
	}
	c := res.Container
	if c.Config.Labels["mongostep.run"] != spec.RunID || c.Config.Labels["mongostep.version"] != spec.Version.String() {
		t.Errorf("labels = %v", c.Config.Labels)
	}
	if c.Path != "docker-entrypoint.sh" || strings.Join(c.Args, " ") != "mongod" {
		t.Errorf("command = %s %q, want docker-entrypoint.sh mongod", c.Path, c.Args)
	}
	for _, kv := range c.Config.Env {
		if strings.HasPrefix(kv, "MONGO_INITDB_") {
			t.Errorf("container env has %s", kv)
		}
	}
	if !contains(c.Config.Env, "MONGOSTEP_TEST_ENV=passed") {
		t.Errorf("spec.Env not passed: %q", c.Config.Env)
	}
	binds := map[string]string{}
	for _, m := range c.Mounts {
		if m.Type == "bind" {
			binds[m.Destination] = m.Source
		}
	}
	if binds["/data/db"] != spec.DBPath || len(binds) != 1 {
		t.Errorf("bind mounts = %v, want only %s at /data/db", binds, spec.DBPath)
	}
	ports := c.NetworkSettings.Ports
	if len(ports) != 1 {
		t.Errorf("ports = %v, want only 27017/tcp", ports)
	}
	for p, bs := range ports {
		if p.String() != "27017/tcp" || len(bs) == 0 {
			t.Errorf("port %s bindings %v", p, bs)
		}
		for _, b := range bs {
			if b.HostIP.String() != "127.0.0.1" {
				t.Errorf("port %s published on %s, want 127.0.0.1 only", p, b.HostIP)
			}
		}
	}
	if c.Config.StopTimeout == nil || *c.Config.StopTimeout < 600 {
		t.Errorf("stop timeout = %v, want at least 600 s", c.Config.StopTimeout)
	}
	top, err := cli.ContainerTop(context.Background(), name, client.ContainerTopOptions{})
	if err != nil {
		t.Fatalf("top: %v", err)
	}
	if len(top.Processes) != 1 || top.Processes[0][0] != "999" {
		t.Errorf("processes = %v, want one mongod as uid 999", top.Processes)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ClearML's layout: PrepareCopy's chown -R 1000:1000 (as root), configdb at
// /data/configdb, and the entrypoint giving the files to 999, owner only.
func TestClearMLLayoutOwnership(t *testing.T) {
	dockertest.BuildImages(t, "mongo:3.6.23")
	r := newRuntime(t)
	spec := stepSpec(t, "mongo:3.6.23", "3.6", true)
	root := filepath.Dir(spec.DBPath)
	writeFile(t, filepath.Join(spec.ConfigDB, "keep.me"))
	notes, err := r.PrepareCopy(context.Background(), root, true)
	if err != nil {
		t.Fatalf("PrepareCopy: %v", err)
	}
	if uid, gid := owner(t, filepath.Join(spec.ConfigDB, "keep.me")); uid != 1000 || gid != 1000 {
		t.Fatalf("after PrepareCopy keep.me is %d:%d, want 1000:1000 (notes %q)", uid, gid, notes)
	}
	if len(notes) == 0 || !strings.Contains(notes[0], "chown -R 1000:1000 "+root) {
		t.Errorf("notes = %q", notes)
	}
	in := start(t, r, spec)
	res, err := r.Client().ContainerInspect(context.Background(), containerName(in), client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	binds := map[string]string{}
	for _, m := range res.Container.Mounts {
		binds[m.Destination] = m.Source
	}
	if binds["/data/db"] != spec.DBPath || binds["/data/configdb"] != spec.ConfigDB {
		t.Errorf("mounts = %v", binds)
	}
	c := connect(t, in)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if v, err := c.Version(ctx); err != nil || v != "3.6.23" {
		t.Fatalf("version = %q, %v", v, err)
	}
	if err := stop(t, in); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if uid, gid := owner(t, filepath.Join(spec.ConfigDB, "keep.me")); uid != 999 || gid != 1000 {
		t.Errorf("keep.me is %d:%d after the step, want 999:1000 (owner only)", uid, gid)
	}
	if uid, gid := owner(t, filepath.Join(spec.DBPath, "WiredTiger.turtle")); uid != 999 || gid != 999 {
		t.Errorf("a file mongod created is %d:%d, want 999:999", uid, gid)
	}
}

// An unclean end is an *runtime.ExitError naming the container, which is
// kept; a clean stop is required for removal.
func TestStopAfterKillKeepsContainer(t *testing.T) {
	dockertest.BuildImages(t, "mongo:4.0.27")
	r := newRuntime(t)
	spec := stepSpec(t, "mongo:4.0.27", "4.0", false)
	in := start(t, r, spec)
	connect(t, in)
	if err := in.Kill(); err != nil {
		t.Fatal(err)
	}
	<-in.Done()
	err := stop(t, in)
	var ee *runtime.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("Stop after Kill = %v, want *runtime.ExitError", err)
	}
	if ee.Exit.Signal != 9 || ee.Exit.ShellCode() != 137 || ee.Exit.LockEmpty || ee.During != "the step" {
		t.Errorf("exit = %+v during %q", ee.Exit, ee.During)
	}
	name := containerName(in)
	if !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "docker logs "+name) {
		t.Errorf("error does not name the kept container %s: %v", name, err)
	}
	if !exists(t, r.Client(), name) {
		t.Errorf("container %s was removed after an unclean end", name)
	}
	if lockSize(t, spec.DBPath) == 0 {
		t.Errorf("mongod.lock empty after SIGKILL")
	}
}

// A failure switch baked into a variant image: mongod crashes at start-up
// (exit 14); Done closes and the exit is reported with the log tail.
func TestVariantImageCrashAtStart(t *testing.T) {
	tag := dockertest.Variant(t, "mongo:4.2.16", "MONGODSIM_FAIL=crash-start")
	r := newRuntime(t)
	spec := stepSpec(t, tag, "4.2", false)
	in := start(t, r, spec)
	select {
	case <-in.Done():
	case <-time.After(time.Minute):
		t.Fatal("mongod with crash-start did not exit")
	}
	e := in.Exit()
	if e.Code != 14 || e.LockEmpty || len(e.LogTail) == 0 {
		t.Fatalf("exit = %+v, want code 14, lock not empty, log tail", e)
	}
	err := stop(t, in)
	var ee *runtime.ExitError
	if !errors.As(err, &ee) || ee.Exit.Code != 14 {
		t.Fatalf("Stop = %v", err)
	}
	// The next container of the same step gets a new name (on a fresh
	// dbpath: the simulator cannot read what crash-start left).
	spec.Image = "mongo:4.2.16"
	spec.DBPath = filepath.Join(t.TempDir(), "db")
	mkdir(t, spec.DBPath)
	dockertest.BuildImages(t, spec.Image)
	in2 := start(t, r, spec)
	if containerName(in2) != containerName(in)+"-2" {
		t.Errorf("second container %q, want %q", containerName(in2), containerName(in)+"-2")
	}
	connect(t, in2)
	if err := stop(t, in2); err != nil {
		t.Fatalf("Stop after recovery: %v", err)
	}
}

// 3.4 has no --bind_ip_all (the entrypoint adds none; 3.4 binds every
// interface anyway): its port answers through the published port, and it
// stops cleanly. The driver cannot talk to 3.4, so only the port is checked,
// as the engine's recover step does.
func TestStep34AnswersOnItsPort(t *testing.T) {
	dockertest.BuildImages(t, "mongo:3.4.24")
	r := newRuntime(t)
	spec := stepSpec(t, "mongo:3.4.24", "3.4", false)
	in := start(t, r, spec)
	deadline := time.Now().Add(time.Minute)
	for {
		conn, err := net.DialTimeout("tcp", in.Addr(), time.Second)
		if err == nil {
			// The proxy accepts before mongod does; a hello-less read
			// timeout (not EOF) shows mongod holds the connection.
			_ = conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			_, rerr := conn.Read(make([]byte, 1))
			conn.Close()
			if ne, ok := rerr.(net.Error); ok && ne.Timeout() {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("3.4 never answered on %s (exit %v)", in.Addr(), in.Exit())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := stop(t, in); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if !strings.Contains(readFile(t, spec.LogPath), "waiting for connections") {
		t.Errorf("3.4 log lacks waiting for connections")
	}
}
