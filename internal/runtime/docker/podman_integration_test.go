//go:build linux

package docker

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Podman's rootful API socket, as scripts/ci-podman.sh starts it.
const podmanRootful = "/run/podman/podman.sock"

// requirePodman fails the test when Podman's rootful socket does not
// answer; outside CI, MONGOSTEP_PODMAN_TESTS=off skips it instead.
func requirePodman(t *testing.T) {
	t.Helper()
	if os.Getenv("MONGOSTEP_PODMAN_TESTS") == "off" && os.Getenv("CI") != "true" {
		t.Skip("MONGOSTEP_PODMAN_TESTS=off: Podman tests skipped on this machine")
	}
	if err := probeUnix(podmanRootful); err != nil {
		t.Fatalf("the Podman tests need Podman's API at unix://%s: %v\n"+
			"  Start it (as root): scripts/ci-podman.sh. Outside CI only, MONGOSTEP_PODMAN_TESTS=off skips them.", podmanRootful, err)
	}
}

// noDockerEnv is this machine as discovery sees it, without DOCKER_HOST or
// a docker context, and with the sockets in hide missing.
func noDockerEnv(t *testing.T, uid int, xdg string, hide ...string) Env {
	e := SystemEnv()
	e.UID = uid
	e.Home = t.TempDir()
	e.Getenv = func(k string) string {
		if k == "XDG_RUNTIME_DIR" {
			return xdg
		}
		return ""
	}
	exists := e.Exists
	e.Exists = func(p string) bool {
		for _, h := range hide {
			if p == h {
				return false
			}
		}
		return exists(p)
	}
	return e
}

// With DOCKER_HOST unset and no Docker socket, discovery reaches Podman's
// rootful socket and says so.
func TestDiscoveryFindsRootfulPodman(t *testing.T) {
	requirePodman(t)
	env := noDockerEnv(t, 0, "", "/var/run/docker.sock")
	r, err := New(context.Background(), Options{Env: env})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer r.Close()
	eng := r.Engine()
	if eng.Kind != "Podman" || eng.Host != "unix://"+podmanRootful || eng.CLI() != "podman" {
		t.Fatalf("engine = %+v, want Podman at unix://%s", eng, podmanRootful)
	}
	d := r.Describe()
	if !strings.HasPrefix(d, "Podman 4.") || !strings.HasSuffix(d, "at unix:///run/podman/podman.sock (Podman's rootful socket)") {
		t.Errorf("Describe() = %q", d)
	}
}

// A non-root user's Podman answers on $XDG_RUNTIME_DIR/podman/podman.sock:
// here a relay to the rootful socket stands in for it.
func TestDiscoveryFindsRootlessPodman(t *testing.T) {
	requirePodman(t)
	xdg := t.TempDir()
	sock := filepath.Join(xdg, "podman", "podman.sock")
	relay(t, sock, podmanRootful)
	env := noDockerEnv(t, 1000, xdg, "/var/run/docker.sock", podmanRootful)
	r, err := New(context.Background(), Options{Env: env})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer r.Close()
	if d := r.Describe(); !strings.HasPrefix(d, "Podman 4.") || !strings.HasSuffix(d, "at unix://"+sock+" (Podman's rootless socket)") {
		t.Errorf("Describe() = %q, want Podman at the rootless socket", d)
	}
}

// relay listens on sock and forwards every connection to target.
func relay(t *testing.T, sock, target string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(sock), 0o700); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.DialTimeout("unix", target, 5*time.Second)
			if err != nil {
				in.Close()
				continue
			}
			go func() { _, _ = io.Copy(out, in); out.Close() }()
			go func() { _, _ = io.Copy(in, out); in.Close() }()
		}
	}()
}
