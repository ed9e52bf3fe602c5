package mongodsim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// Main runs the simulator for os.Args-style args and returns the process exit code. Some paths
// never return: SIGILL/SIGSEGV deaths, crash switches and the final exit after a shutdown.
func Main(args []string) int {
	return run(args, os.Getenv, os.Stdout, os.Stderr)
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"mongod"}
	}
	vs, err := resolveVersion(args[0], getenv)
	if err != nil {
		fmt.Fprintf(stderr, "mongodsim: %v\n", err)
		return ExitBadOptions
	}
	bin, err := NewBinary(vs.full)
	if err != nil {
		fmt.Fprintf(stderr, "mongodsim: %s (from %s): %v\n", vs.full, vs.from, err)
		return ExitBadOptions
	}
	if avxMissing(bin, getenv) {
		dieBySignal(syscall.SIGILL)
	}
	opts, err := ParseArgs(bin, args[0], args[1:])
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "%s\ntry 'mongod --help' for more information\n", ue.msg)
			return ExitBadOptions
		}
		fmt.Fprintf(stderr, "mongodsim: %v\n", err)
		return ExitBadOptions
	}
	switch {
	case opts.Help:
		fmt.Fprint(stdout, usageText(bin))
		return ExitClean
	case opts.Version:
		fmt.Fprint(stdout, bin.versionText())
		return ExitClean
	case opts.Fork:
		fmt.Fprintln(stderr, "mongodsim: --fork is not simulated; run the simulator in the foreground (and background it yourself)")
		return ExitBadOptions
	}
	fsyncEnabled = getenv(EnvFsync) != "0"
	fail, err := parseFailures(getenv(EnvFail), bin)
	if err != nil {
		fmt.Fprintf(stderr, "mongodsim: %v\n", err)
		return ExitBadOptions
	}
	r := &runner{bin: bin, opts: opts, getenv: getenv, fail: fail, versionFrom: vs.from,
		log: newLogger(bin.JSONLog(), stdout), stderr: stderr, started: time.Now()}
	return r.main()
}

// runner is one simulated mongod process.
type runner struct {
	bin         Binary
	opts        *Options
	getenv      func(string) string
	fail        failures
	versionFrom string
	log         *Logger
	stderr      io.Writer
	started     time.Time

	lock         *lockFile
	engine       string
	fresh        bool
	engineOpened bool
	state        *State
	createFCV    bool
	logNum       int
	ckpt         *checkpointer
	srv          *server
	reqID        atomic.Int32
}

func (r *runner) nextRequestID() int32 { return r.reqID.Add(1) }

// persist saves the state (every acknowledged write goes through here).
func (r *runner) persist() error {
	if err := r.state.Save(r.opts.DBPath); err != nil {
		r.log.Log(Entry{Sev: 'E', Comp: "STORAGE", ID: 90000004, Msg: "mongodsim: could not persist the data", Attr: bsonAttr("error", err.Error())})
		return errf(1, "mongodsim: could not persist the data: %v", err)
	}
	return nil
}

// newCollectionsGetUUID: 3.4 never, 3.6 only at FCV 3.6, 4.0+ always.
func (r *runner) newCollectionsGetUUID() bool {
	switch {
	case r.bin.Release.Major == "3.4":
		return false
	case r.bin.RequiresUUIDs():
		return true
	}
	raw := r.state.FCVDocument()
	if raw == nil {
		return r.createFCV
	}
	v, _ := raw.Lookup("version").StringValueOK()
	return v == "3.6"
}

// indexVersion: v:1 indexes on 3.4 at FCV 3.2, v:2 otherwise.
func (r *runner) indexVersion() int32 {
	if r.bin.Release.Major == "3.4" && r.currentFCV().Version == "3.2" {
		return 1
	}
	return 2
}

func (r *runner) createCollection(db, name string, opts []byte) *Collection {
	return r.state.CreateCollection(db, name, opts, r.newCollectionsGetUUID(), r.indexVersion())
}
