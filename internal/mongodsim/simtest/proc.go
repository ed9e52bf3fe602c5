package simtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mongostep/mongostep/internal/mongodsim"
)

// Exit is how a simulator process ended.
type Exit struct {
	Code   int            // exit code; -1 when killed by a signal
	Signal syscall.Signal // the signal that killed it, 0 otherwise
}

func (e Exit) String() string {
	if e.Signal != 0 {
		return "signal " + e.Signal.String()
	}
	return "exit " + strconv.Itoa(e.Code)
}

// Options configure StartWith.
type Options struct {
	Bin    string
	DBPath string
	// Args are extra mongod options. --dbpath and --port are always given; --bind_ip 127.0.0.1
	// and --nounixsocket unless Args has its own bind or unix-socket option.
	Args []string
	// Env entries (KEY=VALUE) are added to the environment; inherited MONGODSIM_* are dropped.
	// MONGODSIM_FSYNC=0 is set unless Env sets it (process crashes lose nothing without fsync;
	// it saves seconds on slow disks).
	Env []string
	// Port to use; 0 picks a free one.
	Port int
	// NoWait returns right after starting instead of waiting for an answer.
	NoWait bool
	// ReadyTimeout bounds the wait for the first answer (default 20s).
	ReadyTimeout time.Duration
}

// Proc is a running simulator.
type Proc struct {
	t      testing.TB
	cmd    *exec.Cmd
	port   int
	dbpath string
	out    *syncBuffer
	done   chan struct{}
	exit   Exit
	wire   int32
}

// Start runs bin on dbpath at a free port on 127.0.0.1 and waits until it answers.
func Start(t testing.TB, bin, dbpath string, env ...string) *Proc {
	t.Helper()
	return StartWith(t, Options{Bin: bin, DBPath: dbpath, Env: env})
}

// StartWith starts the simulator with options; the process is killed when the test ends.
func StartWith(t testing.TB, o Options) *Proc {
	t.Helper()
	port := o.Port
	if port == 0 {
		port = FreePort(t)
	}
	args := []string{"--dbpath", o.DBPath, "--port", strconv.Itoa(port)}
	if !hasArg(o.Args, "--bind_ip", "--bind_ip_all") {
		args = append(args, "--bind_ip", "127.0.0.1")
	}
	if !hasArg(o.Args, "--unixSocketPrefix", "--nounixsocket") {
		args = append(args, "--nounixsocket")
	}
	args = append(args, o.Args...)
	p := &Proc{t: t, port: port, dbpath: o.DBPath, out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(o.Bin, args...)
	p.cmd.Env = childEnv(o.Env)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("simtest: start %s: %v", o.Bin, err)
	}
	go p.reap()
	t.Cleanup(func() {
		if _, ok := p.Exited(); !ok {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	if !o.NoWait {
		timeout := o.ReadyTimeout
		if timeout == 0 {
			timeout = 20 * time.Second
		}
		if err := p.WaitReady(timeout); err != nil {
			t.Fatalf("simtest: %v\n--- simulator output ---\n%s", err, p.Log())
		}
	}
	return p
}

func hasArg(args []string, names ...string) bool {
	for _, a := range args {
		for _, n := range names {
			if a == n || strings.HasPrefix(a, n+"=") {
				return true
			}
		}
	}
	return false
}

func childEnv(extra []string) []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "MONGODSIM_") {
			env = append(env, e)
		}
	}
	env = append(env, mongodsim.EnvFsync+"=0")
	return append(env, extra...) // later entries win
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("simtest: find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (p *Proc) reap() {
	err := p.cmd.Wait()
	p.exit = exitOf(p.cmd.ProcessState, err)
	close(p.done)
}

func exitOf(ps *os.ProcessState, err error) Exit {
	if ps == nil {
		return Exit{Code: -1}
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return Exit{Code: -1, Signal: ws.Signal()}
	}
	return Exit{Code: ps.ExitCode()}
}

// WaitReady polls with an isMaster handshake until the server answers or the process ends.
func (p *Proc) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if e, ok := p.Exited(); ok {
			return fmt.Errorf("simulator exited before answering (%s)", e)
		}
		c, err := Dial(p.Addr(), time.Second)
		if err == nil {
			p.wire = c.MaxWireVersion()
			_ = c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("simulator did not answer on %s within %s", p.Addr(), timeout)
}

// Addr is host:port.
func (p *Proc) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.port)) }

// Port is the TCP port.
func (p *Proc) Port() int { return p.port }

// URI is a driver connection string for a direct connection.
func (p *Proc) URI() string { return "mongodb://" + p.Addr() + "/?directConnection=true" }

// MaxWireVersion is what the server announced when it became ready (0 before that).
func (p *Proc) MaxWireVersion() int32 { return p.wire }

// PID of the process.
func (p *Proc) PID() int { return p.cmd.Process.Pid }

// Log is everything the process printed so far.
func (p *Proc) Log() string { return p.out.String() }

// Exited reports the exit without waiting.
func (p *Proc) Exited() (Exit, bool) {
	select {
	case <-p.done:
		return p.exit, true
	default:
		return Exit{}, false
	}
}

// Wait waits up to timeout for the process to end.
func (p *Proc) Wait(timeout time.Duration) (Exit, error) {
	select {
	case <-p.done:
		return p.exit, nil
	case <-time.After(timeout):
		return Exit{}, errors.New("simulator still running after " + timeout.String())
	}
}

// Signal sends sig to the process.
func (p *Proc) Signal(sig syscall.Signal) {
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		p.t.Errorf("simtest: send %s to pid %d: %v", sig, p.PID(), err)
	}
}

// Stop sends SIGTERM and fails the test unless the process exits 0 within 30s.
func (p *Proc) Stop() {
	p.t.Helper()
	p.Signal(syscall.SIGTERM)
	e, err := p.Wait(30 * time.Second)
	if err != nil || e.Code != 0 {
		p.t.Fatalf("simtest: clean stop of %s failed: %v %s\n--- simulator output ---\n%s", p.Addr(), err, e, p.Log())
	}
}

// Kill sends SIGKILL and waits.
func (p *Proc) Kill() Exit {
	p.t.Helper()
	p.Signal(syscall.SIGKILL)
	e, err := p.Wait(10 * time.Second)
	if err != nil {
		p.t.Fatalf("simtest: kill %d: %v", p.PID(), err)
	}
	return e
}

// RunTimeout bounds Run: a simulator that unexpectedly starts serving is killed after it.
var RunTimeout = time.Minute

// Run runs bin with args to completion (for --version, failing starts, ...) and returns how it
// ended and what it printed on stdout and stderr. It fails the test if the process is still
// running after RunTimeout.
func Run(t testing.TB, bin string, args []string, env ...string) (Exit, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), RunTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = childEnv(env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("simtest: %s %v still running after %s (killed)\n%s%s", bin, args, RunTimeout, stdout.String(), stderr.String())
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("simtest: run %s: %v", bin, err)
	}
	return exitOf(cmd.ProcessState, err), stdout.String(), stderr.String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
