//go:build linux

package docker_test

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime/docker"
	"github.com/mongostep/mongostep/internal/runtime/docker/dockertest"
)

func TestDescribeAndHost(t *testing.T) {
	r := newRuntime(t)
	eng := r.Engine()
	if eng.Version == "" || eng.APIVersion == "" || eng.Host == "" {
		t.Fatalf("engine = %+v", eng)
	}
	d := r.Describe()
	for _, want := range []string{eng.Kind, eng.Version, "API " + eng.APIVersion, eng.Host} {
		if !strings.Contains(d, want) {
			t.Errorf("Describe() = %q lacks %q", d, want)
		}
	}
	if os.Getenv("DOCKER_HOST") == "" && eng.Host != "unix:///var/run/docker.sock" {
		t.Errorf("discovery picked %s, want Docker's standard socket on this machine", eng.Host)
	}
	h, err := r.Host(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		t.Fatal(err)
	}
	if h.OS != "linux" || h.Kernel != unix.ByteSliceToString(u.Release[:]) || h.Arch == "" {
		t.Errorf("Host = %+v, want linux with this machine's kernel", h)
	}
}

func TestNothingAnswers(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "stale.sock")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	cases := map[string]string{
		"unix://" + filepath.Join(dir, "none.sock"): "no such socket",
		"unix://" + stale: "nothing listens",
	}
	for host, want := range cases {
		_, err := docker.New(context.Background(), docker.Options{Host: host})
		var ee *docker.EngineError
		if !errors.As(err, &ee) || ee.Denied() {
			t.Fatalf("New(%s) = %v, want an *EngineError", host, err)
		}
		for _, w := range []string{"no Docker or Podman engine answers", host, want, "DOCKER_HOST"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("New(%s) message lacks %q:\n%v", host, w, err)
			}
		}
	}
}

// The real socket refuses a user outside the docker group: run this test
// binary as nobody and check the message names the fix.
func TestPermissionDeniedOnSocket(t *testing.T) {
	if os.Getenv("MONGOSTEP_DENIED_HELPER") == "1" {
		_, err := docker.New(context.Background(), docker.Options{Host: "unix:///var/run/docker.sock"})
		if err == nil {
			os.Stdout.WriteString("CONNECTED\n")
			return
		}
		os.Stdout.WriteString(err.Error() + "\n")
		return
	}
	if os.Getuid() != 0 {
		t.Skip("needs root to run a helper as another user")
	}
	st, err := os.Stat("/var/run/docker.sock")
	if err != nil || st.Mode().Perm()&0o006 != 0 {
		t.Skipf("the socket is not restricted to its group here (%v)", err)
	}
	exe := copyExecutable(t)
	cmd := exec.Command(exe, "-test.run=^TestPermissionDeniedOnSocket$")
	cmd.Env = append(os.Environ(), "MONGOSTEP_DENIED_HELPER=1", "HOME=/nonexistent")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	for _, want := range []string{"permission denied", "/var/run/docker.sock", "sudo", "docker group", "usermod -aG docker"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("message as nobody lacks %q:\n%s", want, out)
		}
	}
}

// copyExecutable copies the test binary where another user can run it.
func copyExecutable(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "mongostep-denied-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "docker.test")
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestCheckPresentAndMissingImages(t *testing.T) {
	dockertest.BuildImages(t, "mongo:4.0.27")
	r := newRuntime(t)
	var lines []string
	say := func(s string) { lines = append(lines, s) }
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	present := []plan.Step{{Version: plan.MustVersion("4.0"), Image: "mongo:4.0.27"}}
	if err := r.Check(ctx, present, say); err != nil {
		t.Fatalf("Check with the image present: %v", err)
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "MongoDB 4.0: image mongo:4.0.27 is present") {
		t.Errorf("progress = %q", lines)
	}

	// An image that is absent and cannot be pulled (a registry that refuses
	// connections: no network is touched).
	missing := "127.0.0.1:9/mongostep-test/missing:4.2.16"
	lines = nil
	steps := append(present, plan.Step{Version: plan.MustVersion("4.2"), Image: missing})
	err := r.Check(ctx, steps, say)
	var me *docker.MissingImageError
	if !errors.As(err, &me) || len(me.Refs()) != 1 || me.Refs()[0] != missing {
		t.Fatalf("Check = %v, want a *MissingImageError for %s", err, missing)
	}
	for _, want := range []string{missing + " (MongoDB 4.2)", "connection refused", "Nothing was changed", "docker save -o mongo-images.tar " + missing, "docker load -i", "--image 4.2=MIRROR/mongostep-test/missing:4.2.16"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%v", want, err)
		}
	}
	if !strings.Contains(strings.Join(lines, "\n"), "is not on this machine; pulling it") {
		t.Errorf("progress did not announce the pull: %q", lines)
	}
}
