package local

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/mongostep/mongostep/internal/mongo"
	"github.com/mongostep/mongostep/internal/runtime"
)

type instance struct {
	spec   runtime.Spec
	bin    Binary
	addr   string
	cmd    *exec.Cmd
	done   chan struct{}
	mu     sync.Mutex
	exit   runtime.Exit
	output *os.File
}

func start(b Binary, spec runtime.Spec, port int) (*instance, error) {
	args := []string{
		"--dbpath", spec.DBPath,
		"--port", strconv.Itoa(port),
		"--bind_ip", "127.0.0.1",
		"--logpath", spec.LogPath, "--logappend",
	}
	if !isWindows() {
		args = append(args, "--nounixsocket")
	}
	cmd := exec.Command(b.Path, args...)
	cmd.Env = append(os.Environ(), spec.Env...)
	out, err := os.OpenFile(spec.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open mongod log %s: %w", spec.LogPath, err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	detach(cmd)
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, fmt.Errorf("start %s: %w", b.Path, err)
	}
	in := &instance{spec: spec, bin: b, addr: fmt.Sprintf("127.0.0.1:%d", port), cmd: cmd, done: make(chan struct{}), output: out}
	go in.wait()
	return in, nil
}

func (in *instance) wait() {
	_ = in.cmd.Wait()
	in.output.Close()
	ps := in.cmd.ProcessState
	e := runtime.Exit{Code: ps.ExitCode(), Signal: signalOf(ps)}
	if e.Signal != 0 {
		e.Code = -1
	}
	st, err := os.Stat(filepath.Join(in.spec.DBPath, "mongod.lock"))
	e.LockEmpty = err == nil && st.Size() == 0
	e.LogTail = runtime.LogTail(in.spec.LogPath, 12)
	in.mu.Lock()
	in.exit = e
	in.mu.Unlock()
	close(in.done)
}

func (in *instance) Addr() string { return in.addr }

func (in *instance) Describe() string {
	return fmt.Sprintf("mongod %s pid %d (%s)", in.bin.Full, in.cmd.Process.Pid, in.bin.Path)
}

func (in *instance) Done() <-chan struct{} { return in.done }

func (in *instance) Exit() runtime.Exit {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.exit
}

func (in *instance) Kill() error { return in.cmd.Process.Kill() }

// Stop sends the shutdown command (accepted from localhost without auth),
// falls back to SIGTERM, and waits for a clean exit.
func (in *instance) Stop(ctx context.Context) error {
	select {
	case <-in.done:
		return in.exitError("the step")
	default:
	}
	if err := in.shutdownCommand(ctx); err != nil {
		_ = terminate(in.cmd.Process)
	}
	select {
	case <-in.done:
		return in.exitError("shutdown")
	case <-ctx.Done():
		return fmt.Errorf("%s did not finish shutting down: %w; it is still running, and running the same command again stops it", in.Describe(), ctx.Err())
	}
}

func (in *instance) shutdownCommand(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	c, err := mongo.Connect(cctx, in.addr, in.done)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Shutdown(cctx)
}

func (in *instance) exitError(during string) error {
	e := in.Exit()
	if e.Clean() {
		return nil
	}
	return &runtime.ExitError{Version: in.spec.Version, What: in.Describe(), Exit: e, During: during}
}
