package main_test

import (
	"github.com/mongostep/mongostep/internal/fixtures"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The end-to-end tests drive the built mongostep binary (with failpoints
// compiled in, so a script can kill it at any step boundary) against the
// mongod simulator, through testscript scripts in testdata/script.

func TestMain(m *testing.M) {
	code := testscript.RunMain(m, map[string]func() int{
		"simseed": simseedMain,
	})
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

type binaries struct {
	dir       string // holds mongostep
	simulator string // the mongod simulator
}

var (
	buildOnce sync.Once
	built     binaries
	buildErr  error
)

// buildBinaries compiles mongostep (-tags failpoints) and the simulator once.
func buildBinaries(t *testing.T) binaries {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "mongostep-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		built = binaries{dir: dir, simulator: filepath.Join(dir, "sim", "mongodsim")}
		for _, b := range []struct{ out, pkg, tags string }{
			{filepath.Join(dir, "mongostep"), "github.com/mongostep/mongostep/cmd/mongostep", "failpoints"},
			{built.simulator, "github.com/mongostep/mongostep/internal/mongodsim/cmd/mongodsim", ""},
		} {
			cmd := exec.Command("go", "build", "-tags", b.tags, "-o", b.out, b.pkg)
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = &buildError{pkg: b.pkg, out: string(out), err: err}
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

type buildError struct {
	pkg, out string
	err      error
}

func (e *buildError) Error() string { return "go build " + e.pkg + ": " + e.err.Error() + "\n" + e.out }

func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams(buildBinaries(t), "testdata/script", killProcessesUnder, nil))
}

// scriptParams sets every script up alike: the built mongostep first on
// PATH, the simulator's path, a ClearML root inside the script's folder, and
// cleanup of whatever a killed run left behind; env adds or overrides
// variables.
func scriptParams(bins binaries, dir string, cleanup func(work string), env map[string]string) testscript.Params {
	return testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			e.Setenv("PATH", bins.dir+string(os.PathListSeparator)+e.Getenv("PATH"))
			e.Setenv("SIMULATOR", bins.simulator)
			e.Setenv("MONGOSTEP_CLEARML_ROOT", filepath.Join(e.WorkDir, "opt", "clearml"))
			e.Setenv("MONGODSIM_FSYNC", "0")
			e.Setenv("FIXTURES", fixtures.Dir())
			for k, v := range env {
				e.Setenv(k, v)
			}
			work := e.WorkDir
			e.Defer(func() { cleanup(work) })
			return nil
		},
		Cmds: scriptCommands(),
	}
}

func scriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"simdirs":    cmdSimdirs,
		"treehash":   cmdTreehash,
		"invsame":    cmdInvsame,
		"jsonget":    cmdJSONGet,
		"exitcode":   cmdExitcode,
		"killunder":  cmdKillunder,
		"lockfile":   cmdLockfile,
		"sleep":      cmdSleep,
		"truthcheck": cmdTruthcheck,
	}
}

// killProcessesUnder ends simulators a killed mongostep left behind.
func killProcessesUnder(dir string) {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(b), dir) {
			continue
		}
		if p, err := os.FindProcess(atoi(e.Name())); err == nil {
			_ = p.Kill()
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}
