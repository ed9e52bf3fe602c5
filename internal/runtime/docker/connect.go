package docker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"strings"
	"syscall"
	"time"

	"github.com/moby/moby/client"
)

// Engine is what answered: its kind, version and endpoint.
type Engine struct {
	Kind       string // "Docker Engine", "Docker Desktop", "Podman"
	Version    string // "20.10.24"
	APIVersion string // the API version both sides speak, "1.41"
	OS, Arch   string // the engine's OS and architecture ("linux", "x86_64")
	Host       string // the endpoint
	From       string // why that endpoint was tried
}

// CLI is the command-line tool that goes with the engine, for the commands
// mongostep prints ("docker" or "podman").
func (e Engine) CLI() string {
	if e.Kind == "Podman" {
		return "podman"
	}
	return "docker"
}

func (e Engine) String() string {
	s := fmt.Sprintf("%s %s (API %s) at %s", e.Kind, e.Version, e.APIVersion, e.Host)
	if e.From != "" && e.From != "DOCKER_HOST" {
		s += " (" + e.From + ")"
	} else if e.From == "DOCKER_HOST" {
		s += " (from DOCKER_HOST)"
	}
	return s
}

// Attempt is one endpoint tried and why it failed.
type Attempt struct {
	Candidate
	Err    error
	Denied bool // permission denied on the socket
}

// EngineError: no engine answered. It lists every endpoint tried.
type EngineError struct {
	Attempts []Attempt
	GOOS     string
	User     string
}

// Denied reports whether an engine exists but the user may not talk to it.
func (e *EngineError) Denied() bool {
	for _, a := range e.Attempts {
		if a.Denied {
			return true
		}
	}
	return false
}

func (e *EngineError) Error() string {
	var b strings.Builder
	if e.Denied() {
		b.WriteString("permission denied on the container engine's socket: ")
		b.WriteString(e.who())
		b.WriteString(" may not talk to it")
	} else {
		b.WriteString("no Docker or Podman engine answers on this machine")
	}
	b.WriteString("\n  tried:")
	for _, a := range e.Attempts {
		fmt.Fprintf(&b, "\n    %s (%s): %s", a.Host, a.From, a.reason())
	}
	b.WriteString("\n  ")
	b.WriteString(e.fix())
	return b.String()
}

func (e *EngineError) who() string {
	if e.User == "" {
		return "this user"
	}
	return "user " + e.User
}

func (a Attempt) reason() string {
	switch {
	case a.Missing:
		return "no such socket"
	case a.Denied:
		return "permission denied"
	case a.Err != nil:
		return a.Err.Error()
	}
	return "no answer"
}

func (e *EngineError) fix() string {
	if e.Denied() {
		if e.GOOS == "windows" {
			return "Fix: run mongostep from an administrator terminal, or add your user to the docker-users group (then sign out and in again)."
		}
		u := e.User
		if u == "" {
			u = "$USER"
		}
		return fmt.Sprintf("Fix: run mongostep with sudo, or add the user to the docker group: sudo usermod -aG docker %s (then log out and in again).", u)
	}
	switch e.GOOS {
	case "windows", "darwin":
		return "Fix: start Docker Desktop (or Podman machine) and wait until it is running, or set DOCKER_HOST to the engine's address; or use --runtime local with mongod binaries."
	}
	return "Fix: start Docker (sudo systemctl start docker) or Podman's API socket (systemctl --user start podman.socket), or set DOCKER_HOST to the engine's address (e.g. DOCKER_HOST=unix:///run/user/1000/podman/podman.sock); or use --runtime local with mongod binaries."
}

// connect tries each candidate in turn and keeps the first engine that answers.
func connect(ctx context.Context, cands []Candidate, env Env) (*client.Client, Engine, error) {
	ee := &EngineError{GOOS: env.GOOS, User: currentUser()}
	for _, c := range cands {
		if c.Missing {
			ee.Attempts = append(ee.Attempts, Attempt{Candidate: c})
			continue
		}
		cli, eng, err := dial(ctx, c)
		if err == nil {
			return cli, eng, nil
		}
		ee.Attempts = append(ee.Attempts, Attempt{Candidate: c, Err: err, Denied: isDenied(err)})
	}
	return nil, Engine{}, ee
}

// dial connects to one endpoint and asks the engine what it is.
func dial(ctx context.Context, c Candidate) (*client.Client, Engine, error) {
	if strings.HasPrefix(c.Host, "ssh://") {
		return nil, Engine{}, errors.New("ssh:// endpoints need the docker CLI's ssh helper; forward the socket instead (ssh -L /tmp/docker.sock:/var/run/docker.sock HOST, then DOCKER_HOST=unix:///tmp/docker.sock)")
	}
	if p, ok := strings.CutPrefix(c.Host, "unix://"); ok {
		if err := probeUnix(p); err != nil {
			return nil, Engine{}, err
		}
	}
	cli, err := client.New(
		client.WithTLSClientConfigFromEnv(), // before WithHost: it replaces the transport
		client.WithHost(c.Host),
		client.WithAPIVersionNegotiation(), // the default in v0.6; kept explicit (engine 20.10 speaks API 1.41)
	)
	if err != nil {
		return nil, Engine{}, fmt.Errorf("set up a client for %s: %w", c.Host, err)
	}
	eng, err := identify(ctx, cli)
	if err != nil {
		cli.Close()
		return nil, Engine{}, err
	}
	eng.Host, eng.From = c.Host, c.From
	return cli, eng, nil
}

// probeUnix dials a unix socket once, to tell "permission denied" and
// "nothing listens" apart before the HTTP client blurs them.
func probeUnix(p string) error {
	conn, err := net.DialTimeout("unix", p, 3*time.Second)
	if err == nil {
		conn.Close()
		return nil
	}
	switch {
	case errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM):
		return &deniedError{path: p}
	case errors.Is(err, syscall.ECONNREFUSED):
		return errors.New("the socket exists but nothing listens on it (the engine is stopped)")
	case errors.Is(err, os.ErrNotExist):
		return errors.New("no such socket")
	}
	return err
}

type deniedError struct{ path string }

func (e *deniedError) Error() string { return "permission denied on " + e.path }

func isDenied(err error) bool {
	var d *deniedError
	return errors.As(err, &d) || strings.Contains(strings.ToLower(err.Error()), "permission denied")
}

func identify(ctx context.Context, cli *client.Client) (Engine, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		return Engine{}, err
	}
	v, err := cli.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return Engine{}, fmt.Errorf("ask the engine its version: %w", err)
	}
	eng := Engine{Kind: "Docker Engine", Version: v.Version, APIVersion: cli.ClientVersion(), OS: v.Os, Arch: v.Arch}
	names := []string{v.Platform.Name}
	for _, c := range v.Components {
		names = append(names, c.Name)
	}
	for _, n := range names {
		switch {
		case strings.Contains(n, "Podman"):
			eng.Kind = "Podman"
			for _, c := range v.Components {
				if strings.Contains(c.Name, "Podman") && c.Version != "" {
					eng.Version = c.Version
				}
			}
			return eng, nil
		case strings.Contains(n, "Docker Desktop"):
			eng.Kind = "Docker Engine (" + n + ")"
		}
	}
	return eng, nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
