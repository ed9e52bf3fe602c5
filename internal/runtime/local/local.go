// Package local runs mongod binaries found on this host.
package local

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

// Runtime runs local mongod binaries.
type Runtime struct {
	dirs     []string
	usePATH  bool
	binaries map[plan.Version]Binary
	problems []Problem
}

// New scans dirs (--mongod-dir) and PATH for mongod binaries.
func New(ctx context.Context, dirs []string) *Runtime {
	r := &Runtime{dirs: dirs, usePATH: true}
	r.binaries, r.problems = Find(ctx, dirs, true)
	return r
}

func (r *Runtime) Name() string { return "local" }

func (r *Runtime) Describe() string {
	var vs []string
	for v, b := range r.binaries {
		vs = append(vs, fmt.Sprintf("%s (%s)", b.Full, b.Path))
		_ = v
	}
	sort.Strings(vs)
	if len(vs) == 0 {
		return "local mongod binaries: none found"
	}
	return "local mongod binaries: " + strings.Join(vs, ", ")
}

// Binaries returns what was found (for `mongostep plan`).
func (r *Runtime) Binaries() map[plan.Version]Binary { return r.binaries }

// Check makes sure every step has a binary.
func (r *Runtime) Check(ctx context.Context, steps []plan.Step, progress func(string)) error {
	var missing []string
	for _, s := range steps {
		b, ok := r.binaries[s.Version]
		if !ok {
			missing = append(missing, s.Version.String())
			continue
		}
		if progress != nil {
			progress(fmt.Sprintf("MongoDB %s: %s (%s)", s.Version, b.Path, b.Full))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	msg := fmt.Sprintf("no mongod binary for MongoDB %s was found in %s", strings.Join(missing, ", "), r.searched())
	for _, p := range r.problems {
		msg += fmt.Sprintf("\n  skipped %s: %s", p.Path, p.Reason)
	}
	msg += "\nDownload the MongoDB Community Server archive of each missing version for this OS, unpack each into its own folder, and pass --mongod-dir FOLDER (repeatable); or use --runtime docker."
	return &MissingError{Versions: missing, msg: msg}
}

// MissingError: binaries for some steps were not found.
type MissingError struct {
	Versions []string
	msg      string
}

func (e *MissingError) Error() string { return e.msg }

func (r *Runtime) searched() string {
	var parts []string
	for _, d := range r.dirs {
		parts = append(parts, d)
	}
	parts = append(parts, "PATH")
	return strings.Join(parts, ", ")
}

// Start launches mongod on spec.DBPath, listening on 127.0.0.1 only.
func (r *Runtime) Start(ctx context.Context, spec runtime.Spec) (runtime.Instance, error) {
	b, ok := r.binaries[spec.Version]
	if !ok {
		return nil, fmt.Errorf("no mongod binary for MongoDB %s", spec.Version)
	}
	if err := os.MkdirAll(filepath.Dir(spec.LogPath), 0o755); err != nil {
		return nil, fmt.Errorf("create log folder: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("find a free port on 127.0.0.1: %w", err)
	}
	return start(b, spec, port)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Leftovers stops a mongod that an interrupted run left on dbpath: the PID in
// mongod.lock, if that process still runs with this dbpath.
func (r *Runtime) Leftovers(ctx context.Context, runID, dbpath string) ([]string, error) {
	pid := lockPID(dbpath)
	if pid <= 0 || !alive(pid) || !runsOn(pid, dbpath) {
		return nil, nil
	}
	what := fmt.Sprintf("mongod pid %d left running on %s by an interrupted run", pid, dbpath)
	if err := terminatePID(pid); err != nil {
		return []string{what}, fmt.Errorf("stop %s: %w", what, err)
	}
	for alive(pid) {
		select {
		case <-ctx.Done():
			return []string{what}, fmt.Errorf("%s did not stop: %w", what, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	return []string{what}, nil
}

// UsersOf finds running mongod processes whose dbpath is path or inside it.
func (r *Runtime) UsersOf(ctx context.Context, path string) ([]runtime.User, error) {
	return processesUsing(path), nil
}

// Host describes this machine.
func (r *Runtime) Host(ctx context.Context) (runtime.Host, error) {
	return hostInfo(), nil
}

func (r *Runtime) Close() error { return nil }

func lockPID(dbpath string) int {
	b, err := os.ReadFile(filepath.Join(dbpath, "mongod.lock"))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0
	}
	return pid
}

var errNoProc = errors.New("no /proc")

func isWindows() bool { return goruntime.GOOS == "windows" }
