package docker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/runtime"
)

// instance is one step's container.
type instance struct {
	r       *Runtime
	spec    runtime.Spec
	id      string
	name    string
	addr    string
	done    chan struct{}
	logDone chan struct{}
	mu      sync.Mutex
	exit    runtime.Exit
}

// Start creates and starts the step's container, follows its log into
// spec.LogPath, and returns once it runs (the caller waits until mongod
// answers on Addr).
func (r *Runtime) Start(ctx context.Context, spec runtime.Spec) (runtime.Instance, error) {
	if err := r.checkSelf(stepDirs(spec.DBPath, spec.ConfigDB)); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(spec.LogPath), 0o755); err != nil {
		return nil, fmt.Errorf("create log folder %s: %w", filepath.Dir(spec.LogPath), err)
	}
	id, name, err := r.createAndStart(ctx, spec)
	if err != nil {
		return nil, err
	}
	in := &instance{r: r, spec: spec, id: id, name: name, done: make(chan struct{}), logDone: make(chan struct{})}
	go in.followLog()
	go in.watch()
	in.addr = in.publishedAddr(ctx)
	return in, nil
}

// createAndStart creates and starts the container. When the host port the
// engine picked turns out to be taken by then, it tries again.
func (r *Runtime) createAndStart(ctx context.Context, spec runtime.Spec) (id, name string, err error) {
	for attempt := 1; ; attempt++ {
		id, name, err = r.create(ctx, spec)
		if err != nil {
			return "", "", err
		}
		_, err = r.cli.ContainerStart(ctx, id, client.ContainerStartOptions{})
		if err == nil {
			return id, name, nil
		}
		r.remove(id) // created, never ran: nothing touched the data
		if attempt < 3 && portTaken(err) {
			continue
		}
		return "", "", fmt.Errorf("start container %s (%s) on %s: %w", name, spec.Image, r.eng, err)
	}
}

func portTaken(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "address already in use") || strings.Contains(msg, "port is already allocated")
}

// create creates the container, adding "-2", "-3"... to the name when a
// container kept from an earlier attempt has it.
func (r *Runtime) create(ctx context.Context, spec runtime.Spec) (id, name string, err error) {
	for n := 1; n <= 20; n++ {
		name = containerName(spec, n)
		opts, err := createOptions(spec, name, r.grace, r.eng.Kind != "Podman")
		if err != nil {
			return "", "", err
		}
		res, err := r.cli.ContainerCreate(ctx, opts)
		if nameTaken(err) {
			continue
		}
		if err != nil {
			return "", "", fmt.Errorf("create container %s from %s on %s: %w", name, spec.Image, r.eng, err)
		}
		return res.ID, name, nil
	}
	return "", "", fmt.Errorf("create a container for %s: names %s to -20 are all taken; remove old containers (%s ps -a --filter label=%s=%s)", spec.Name, containerName(spec, 1), r.eng.CLI(), LabelRun, spec.RunID)
}

// publishedAddr is 127.0.0.1:<the host port the engine picked>.
func (in *instance) publishedAddr(ctx context.Context) string {
	for i := 0; i < 50; i++ {
		res, err := in.r.cli.ContainerInspect(ctx, in.id, client.ContainerInspectOptions{})
		if err == nil && res.Container.NetworkSettings != nil {
			for p, bs := range res.Container.NetworkSettings.Ports {
				if p.String() == mongodPort && len(bs) > 0 && bs[0].HostPort != "" {
					return "127.0.0.1:" + bs[0].HostPort
				}
			}
		}
		select {
		case <-in.done: // exited before its port was known; the caller sees Done
			return "127.0.0.1:0"
		case <-ctx.Done():
			return "127.0.0.1:0"
		case <-time.After(100 * time.Millisecond):
		}
	}
	return "127.0.0.1:0"
}

// followLog copies the container's output into spec.LogPath until it exits.
func (in *instance) followLog() {
	defer close(in.logDone)
	f, err := os.OpenFile(in.spec.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	rc, err := in.r.cli.ContainerLogs(context.Background(), in.id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Follow: true})
	if err != nil {
		fmt.Fprintf(f, "mongostep: cannot read the log of container %s: %v\n", in.name, err)
		return
	}
	defer rc.Close()
	_, _ = stdcopy.StdCopy(f, f, rc)
}

// watch waits for the container to exit, then records how it ended.
func (in *instance) watch() {
	code, oom := in.waitExit()
	select {
	case <-in.logDone:
	case <-time.After(10 * time.Second):
	}
	e := exitOf(code)
	if oom {
		in.appendLog("mongostep: the engine reports the container was killed for lack of memory (OOM)")
	}
	e.LockEmpty = lockEmpty(in.spec.DBPath)
	e.LogTail = runtime.LogTail(in.spec.LogPath, 12)
	in.mu.Lock()
	in.exit = e
	in.mu.Unlock()
	close(in.done)
}

// waitExit blocks until the container stops and returns its exit code. If
// the wait call breaks (engine restarted), it polls instead.
func (in *instance) waitExit() (code int, oom bool) {
	w := in.r.cli.ContainerWait(context.Background(), in.id, client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	select {
	case res := <-w.Result:
		return int(res.StatusCode), in.oomKilled()
	case <-w.Error:
	}
	for {
		res, err := in.r.cli.ContainerInspect(context.Background(), in.id, client.ContainerInspectOptions{})
		if cerrdefs.IsNotFound(err) {
			in.appendLog("mongostep: container " + in.name + " was removed while mongod ran; its exit status is unknown")
			return -1, false
		}
		if err == nil && res.Container.State != nil && !res.Container.State.Running && !res.Container.State.Restarting {
			return res.Container.State.ExitCode, res.Container.State.OOMKilled
		}
		time.Sleep(time.Second)
	}
}

func (in *instance) oomKilled() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := in.r.cli.ContainerInspect(ctx, in.id, client.ContainerInspectOptions{})
	return err == nil && res.Container.State != nil && res.Container.State.OOMKilled
}

func (in *instance) appendLog(line string) {
	f, err := os.OpenFile(in.spec.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintln(f, line)
}

// exitOf turns a container's exit code into runtime.Exit: the engine reports
// a process killed by signal n as 128+n (137 for SIGKILL).
func exitOf(code int) runtime.Exit {
	if code > 128 && code < 128+65 {
		return runtime.Exit{Code: -1, Signal: code - 128}
	}
	return runtime.Exit{Code: code}
}

func lockEmpty(dbpath string) bool {
	st, err := os.Stat(filepath.Join(dbpath, "mongod.lock"))
	return err == nil && st.Size() == 0
}

func (in *instance) Addr() string { return in.addr }

func (in *instance) Describe() string {
	return fmt.Sprintf("container %s (%s)", in.name, in.spec.Image)
}

func (in *instance) Done() <-chan struct{} { return in.done }

func (in *instance) Exit() runtime.Exit {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.exit
}

// Kill ends mongod at once (SIGKILL); the data needs recovery afterwards.
func (in *instance) Kill() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := in.r.cli.ContainerKill(ctx, in.id, client.ContainerKillOptions{Signal: "SIGKILL"}); err != nil {
		return fmt.Errorf("kill container %s: %w", in.name, err)
	}
	return nil
}
