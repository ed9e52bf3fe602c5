package docker

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"
	"time"

	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/runtime"
)

// DefaultStopGrace is how long mongod gets to shut down after SIGTERM. It is
// also every container's stop timeout, so a `docker stop` by anyone, or the
// engine shutting down, waits as long instead of killing mongod after 10 s.
const DefaultStopGrace = 30 * time.Minute

// MinStopGrace is the shortest grace Options.StopGrace may set.
const MinStopGrace = 10 * time.Minute

// Options configure New.
type Options struct {
	// Host is the engine's endpoint ("unix:///var/run/docker.sock",
	// "npipe:////./pipe/docker_engine", "tcp://host:2376"); "" means
	// DOCKER_HOST, else discovery (see Candidates).
	Host string
	// Progress receives image pull progress lines; nil sends them to Check's
	// progress function.
	Progress func(string)
	// StopGrace is how long a stop waits after SIGTERM before giving up (it
	// never kills mongod). Zero means DefaultStopGrace; values below
	// MinStopGrace are raised to it.
	StopGrace time.Duration
	// Env is where discovery looks; the zero value means SystemEnv().
	Env Env
	// Paths are the paths a run names (source, target, backup file). When
	// mongostep runs inside a container the engine knows, New checks that
	// the folder holding each is bind-mounted at the same path as on the
	// host, and says which -v to add (*MountError) when it is not.
	Paths []string
}

// Runtime runs mongod steps in containers.
type Runtime struct {
	cli   *client.Client
	eng   Engine
	opts  Options
	grace time.Duration
	self  *selfContainer // the container mongostep runs in; nil when none
}

var _ runtime.Runtime = (*Runtime)(nil)

// New connects to the container engine. Its error says what was tried and
// how to fix it (*EngineError: nothing answers, or permission denied).
func New(ctx context.Context, o Options) (*Runtime, error) {
	env := o.Env
	if env.GOOS == "" {
		env = SystemEnv()
	}
	cands := Candidates(env)
	if o.Host != "" {
		cands = []Candidate{{Host: o.Host, From: "the endpoint asked for"}}
	}
	cli, eng, err := connect(ctx, cands, env)
	if err != nil {
		return nil, err
	}
	if eng.OS != "" && eng.OS != "linux" {
		cli.Close()
		return nil, fmt.Errorf("%s runs %s containers; MongoDB's official images are Linux images: switch Docker Desktop to Linux containers (tray icon > Switch to Linux containers) and run the command again", eng, eng.OS)
	}
	grace := o.StopGrace
	switch {
	case grace == 0:
		grace = DefaultStopGrace
	case grace < MinStopGrace:
		grace = MinStopGrace
	}
	r := &Runtime{cli: cli, eng: eng, opts: o, grace: grace}
	if goruntime.GOOS == "linux" {
		r.self = r.findSelf(ctx)
	}
	if err := r.self.checkPaths(dataDirs(o.Paths), eng.CLI()); err != nil {
		cli.Close()
		return nil, err
	}
	return r, nil
}

// Name is "docker".
func (r *Runtime) Name() string { return "docker" }

// Describe says which engine answered: "Docker Engine 20.10.24 (API 1.41) at unix:///var/run/docker.sock ...".
func (r *Runtime) Describe() string { return r.eng.String() }

// Engine is what answered.
func (r *Runtime) Engine() Engine { return r.eng }

// Client is the engine client (for tests and helpers).
func (r *Runtime) Client() *client.Client { return r.cli }

// Close drops the connection.
func (r *Runtime) Close() error { return r.cli.Close() }

// Host describes where mongod runs: the engine's kernel (a Docker Desktop VM
// has its own) and architecture. AVX is read from this machine's CPU only
// when the engine runs on this very kernel.
func (r *Runtime) Host(ctx context.Context) (runtime.Host, error) {
	res, err := r.cli.Info(ctx, client.InfoOptions{})
	if err != nil {
		return runtime.Host{}, fmt.Errorf("ask %s for its kernel and CPU: %w", r.eng, err)
	}
	info := res.Info
	h := runtime.Host{OS: info.OSType, Arch: goArch(info.Architecture), Kernel: info.KernelVersion}
	local := runtime.LocalHost()
	if goruntime.GOOS == "linux" && strings.HasPrefix(r.eng.Host, "unix://") && local.Kernel == h.Kernel {
		h.AVX, h.AVXKnown = local.AVX, local.AVXKnown
	}
	return runtime.WithFakes(h), nil
}

// goArch turns the engine's uname architecture into Go's name.
func goArch(a string) string {
	switch a {
	case "x86_64", "amd64":
		return "amd64"
	case "aarch64", "arm64":
		return "arm64"
	case "ppc64le":
		return "ppc64le"
	case "s390x":
		return "s390x"
	}
	return a
}
