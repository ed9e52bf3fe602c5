package local

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mongostep/mongostep/internal/runtime"
)

func cmdline(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(string(bytes.TrimRight(b, "\x00")), "\x00")
}

// dbpathOf returns the --dbpath of a mongod command line ("" when not mongod).
func dbpathOf(args []string) string {
	if len(args) == 0 || !strings.HasPrefix(filepath.Base(args[0]), "mongod") || filepath.Base(args[0]) == "mongodump" {
		return ""
	}
	for i, a := range args {
		if a == "--dbpath" && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, "--dbpath="); ok {
			return v
		}
	}
	return "/data/db"
}

func within(path, dir string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func runsOn(pid int, dbpath string) bool {
	p := dbpathOf(cmdline(pid))
	return p != "" && filepath.Clean(p) == filepath.Clean(dbpath)
}

func processesUsing(path string) []runtime.User {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []runtime.User
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		p := dbpathOf(cmdline(pid))
		if p == "" || !within(p, path) {
			continue
		}
		out = append(out, runtime.User{
			What: fmt.Sprintf("mongod pid %d (--dbpath %s)", pid, p),
			Path: p,
			Stop: fmt.Sprintf("kill -TERM %d   (mongod shuts down cleanly on SIGTERM; wait until it has exited)", pid),
		})
	}
	return out
}
