package main_test

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// simdirs DIR VERSION... installs the simulator as DIR/<major>/mongod for
// each full version (e.g. 4.0.27 -> DIR/4.0/mongod).
func cmdSimdirs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: simdirs DIR VERSION...")
	}
	sim := ts.Getenv("SIMULATOR")
	for _, v := range args[1:] {
		parts := strings.Split(v, ".")
		if len(parts) != 3 {
			ts.Fatalf("simdirs: want a full version like 4.0.27, got %q", v)
		}
		dir := filepath.Join(ts.MkAbs(args[0]), parts[0]+"."+parts[1])
		ts.Check(os.MkdirAll(dir, 0o755))
		bin := filepath.Join(dir, "mongod")
		if err := os.Link(sim, bin); err != nil {
			ts.Check(copyFile(sim, bin))
		}
		ts.Check(os.WriteFile(filepath.Join(dir, "mongodsim.version"), []byte(v+"\n"), 0o644))
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// treehash DIR FILE records a hash of every path, type, mode, size, mtime
// and content under DIR in FILE, or, when FILE exists, fails unless DIR
// still hashes the same (with !, unless it differs).
func cmdTreehash(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: treehash DIR FILE")
	}
	lines, err := treeLines(ts.MkAbs(args[0]))
	ts.Check(err)
	file := ts.MkAbs(args[1])
	prev, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		ts.Check(os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644))
		return
	}
	ts.Check(err)
	same := string(prev) == strings.Join(lines, "\n")
	switch {
	case same && neg:
		ts.Fatalf("%s is unchanged", args[0])
	case !same && !neg:
		ts.Fatalf("%s changed:\n%s", args[0], firstDiff(strings.Split(string(prev), "\n"), lines))
	}
}

func treeLines(root string) ([]string, error) {
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %s %d %d", rel, st.Mode(), st.Size(), st.ModTime().UnixNano())
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			t, _ := os.Readlink(p)
			line += " -> " + t
		case st.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		lines = append(lines, line)
		return nil
	})
	return lines, err
}

func firstDiff(a, b []string) string {
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return fmt.Sprintf("  before: %s\n  now:    %s", x, y)
		}
	}
	return ""
}

// invsame RUNDIR_A RUNDIR_B fails unless both runs' final inventories list
// the same databases, collections, counts, hashes, options and indexes.
func cmdInvsame(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: invsame RUNDIR_A RUNDIR_B")
	}
	load := func(dir string) any {
		var inv struct {
			Databases any `json:"databases"`
		}
		b, err := os.ReadFile(filepath.Join(ts.MkAbs(dir), "inventory-after.json"))
		ts.Check(err)
		ts.Check(json.Unmarshal(b, &inv))
		return inv.Databases
	}
	a, b := load(args[0]), load(args[1])
	if reflect.DeepEqual(a, b) == neg {
		ts.Fatalf("inventories of %s and %s: equal=%v", args[0], args[1], !neg)
	}
}

// exitcode N PROG ARGS... runs PROG and fails unless it exits with N.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROG ARGS...")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// killunder DIR kills -9 every process whose command line mentions DIR, as
// a power cut would.
func cmdKillunder(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: killunder DIR")
	}
	killProcessesUnder(ts.MkAbs(args[0]))
	time.Sleep(200 * time.Millisecond)
}

// sleep DURATION pauses the script (to let a background command get going).
func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sleep DURATION")
	}
	d, err := time.ParseDuration(args[0])
	ts.Check(err)
	time.Sleep(d)
}

// lockfile PATH PID writes a mongostep run lock held by PID on this host.
func cmdLockfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: lockfile PATH PID")
	}
	pid, err := strconv.Atoi(args[1])
	ts.Check(err)
	host, err := os.Hostname()
	ts.Check(err)
	b, _ := json.Marshal(map[string]any{"pid": pid, "host": host, "started": time.Now().UTC(), "command": "mongostep migrate"})
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o644))
}

// jsonget FILE PATH [VAR] prints the value at a dotted path (numbers index
// arrays), or sets the environment variable VAR to it.
func cmdJSONGet(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 && len(args) != 3 {
		ts.Fatalf("usage: jsonget FILE PATH [VAR]")
	}
	b, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	var v any
	ts.Check(json.Unmarshal(b, &v))
	for _, k := range strings.Split(args[1], ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				ts.Fatalf("jsonget: %s: no element %s", args[1], k)
			}
			v = x[i]
		default:
			ts.Fatalf("jsonget: %s: %s is not an object or array", args[1], k)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintln(ts.Stdout(), strings.Join(keys, " "))
	default:
		out, _ := json.Marshal(x)
		val := strings.Trim(string(out), `"`)
		if len(args) == 3 {
			ts.Setenv(args[2], val)
			return
		}
		fmt.Fprintln(ts.Stdout(), val)
	}
}
