// Package runtime starts and stops a mongod of a given MongoDB version on a
// data directory. Implementations: local (binaries on this host) and docker
// (the official images, through the Docker Engine API).
package runtime

import (
	"context"
	"fmt"
	"strings"

	"github.com/mongostep/mongostep/internal/plan"
)

// Spec says what to run.
type Spec struct {
	Version plan.Version
	Image   string // docker: the image for this step
	// DBPath is the host directory mongod uses as its dbpath; ConfigDB is the
	// ClearML layout's configdb folder ("" for a bare dbpath).
	DBPath   string
	ConfigDB string
	// LogPath is the file mongod's log is written or copied to.
	LogPath string
	// RunID labels what this run starts, so a later run can find leftovers.
	RunID string
	// Name is a short human name for the step ("step 2: 4.2").
	Name string
	// Env is extra environment for mongod (GLIBC_TUNABLES=...).
	Env []string
}

// Instance is one running mongod.
type Instance interface {
	// Addr is host:port on 127.0.0.1.
	Addr() string
	// Describe names it for messages: "mongod pid 1234", "container mongostep-1a2b-4.2".
	Describe() string
	// Stop shuts mongod down cleanly and waits for it to exit. It returns an
	// *ExitError when mongod did not exit with status 0 or left mongod.lock
	// non-empty (an unclean stop).
	Stop(ctx context.Context) error
	// Done is closed when mongod has exited, whoever stopped it.
	Done() <-chan struct{}
	// Exit says how mongod exited; valid after Done is closed.
	Exit() Exit
	// Kill ends mongod at once (second Ctrl-C); the data needs recovery after.
	Kill() error
}

// Host describes the machine mongod runs on, for the checks that stop a step
// that cannot run there.
type Host struct {
	OS, Arch string
	Kernel   string // e.g. "6.1.0-18-amd64"; "" when unknown
	// AVX is false only when the CPU is known to lack it.
	AVX bool
	// AVXKnown is false when it could not be read.
	AVXKnown bool
}

// Runtime starts mongods.
type Runtime interface {
	// Name is "local" or "docker".
	Name() string
	// Describe says what it talks to ("Docker Engine 20.10.24 at unix:///var/run/docker.sock").
	Describe() string
	// Check makes sure, before anything changes, that every step's mongod
	// can be had (binaries found; images present or pulled).
	Check(ctx context.Context, steps []plan.Step, progress func(msg string)) error
	// Start starts a mongod. It returns once the process runs; the caller
	// waits for it to answer.
	Start(ctx context.Context, spec Spec) (Instance, error)
	// Leftovers stops cleanly, and removes, anything an interrupted earlier run
	// (runID) left running on dbpath. It returns what it found.
	Leftovers(ctx context.Context, runID, dbpath string) ([]string, error)
	// UsersOf names the running mongods (processes or containers) that use a
	// directory or anything inside it, with how to stop each.
	UsersOf(ctx context.Context, path string) ([]User, error)
	// Host describes where mongod runs.
	Host(ctx context.Context) (Host, error)
	Close() error
}

// User is a running mongod holding a path.
type User struct {
	What string // "container clearml-mongo" or "mongod pid 4242"
	Path string
	Stop string // the command that stops it
}

// Exit is how a mongod ended.
type Exit struct {
	Code   int // exit status; -1 when killed by a signal
	Signal int // the signal number that killed it (9 SIGKILL, 11 SIGSEGV, 4 SIGILL), or 0
	// LockEmpty: mongod.lock was empty afterwards (a clean shutdown).
	LockEmpty bool
	// LogTail is the end of mongod's log, for the message.
	LogTail []string
}

// Clean reports a clean shutdown.
func (e Exit) Clean() bool { return e.Code == 0 && e.Signal == 0 && e.LockEmpty }

// ShellCode is the exit code a shell or docker would show (128+n for signals).
func (e Exit) ShellCode() int {
	if e.Signal != 0 {
		return 128 + e.Signal
	}
	return e.Code
}

func (e Exit) String() string {
	var s string
	if e.Signal != 0 {
		s = fmt.Sprintf("killed by signal %d (%s, exit code %d)", e.Signal, signalName(e.Signal), 128+e.Signal)
	} else {
		s = fmt.Sprintf("exit status %d", e.Code)
	}
	if !e.LockEmpty {
		s += ", mongod.lock not empty"
	}
	return s
}

// ExitError reports a mongod that ended other than by a clean shutdown.
type ExitError struct {
	Version plan.Version
	What    string // Describe() of the instance
	Exit    Exit
	// During says when: "start-up", "shutdown", "the step".
	During string
}

func (e *ExitError) Error() string {
	msg := fmt.Sprintf("MongoDB %s (%s) ended during %s: %s", e.Version, e.What, e.During, e.Exit)
	if len(e.Exit.LogTail) > 0 {
		msg += "\n  last log lines:\n    " + strings.Join(e.Exit.LogTail, "\n    ")
	}
	return msg
}

func signalName(n int) string {
	switch n {
	case 4:
		return "SIGILL"
	case 6:
		return "SIGABRT"
	case 9:
		return "SIGKILL"
	case 11:
		return "SIGSEGV"
	case 15:
		return "SIGTERM"
	}
	return fmt.Sprintf("signal %d", n)
}
