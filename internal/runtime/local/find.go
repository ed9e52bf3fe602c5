package local

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"strconv"
	"strings"
	"time"

	"github.com/mongostep/mongostep/internal/plan"
)

// Binary is one mongod executable found on this host.
type Binary struct {
	Path    string
	Full    string // "4.0.28"
	Version plan.Version
	patch   int
}

// Problem is an executable that looked like mongod but could not be used.
type Problem struct {
	Path   string
	Reason string
}

var versionLine = regexp.MustCompile(`(?m)^db version v(\d+)\.(\d+)\.(\d+)`)

func exeName() string {
	if goruntime.GOOS == "windows" {
		return "mongod.exe"
	}
	return "mongod"
}

// Find scans dirs (up to three levels deep, so /opt/mongodb holding
// 4.0/bin/mongod works) and then PATH for executables named mongod, asks
// each for its version, and keeps the newest patch of each release line.
func Find(ctx context.Context, dirs []string, usePATH bool) (map[plan.Version]Binary, []Problem) {
	var paths []string
	for _, d := range dirs {
		paths = append(paths, scan(d, 3)...)
	}
	if usePATH {
		for _, d := range filepath.SplitList(os.Getenv("PATH")) {
			paths = append(paths, scan(d, 0)...)
		}
	}
	found := map[plan.Version]Binary{}
	var problems []Problem
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] {
			continue
		}
		seen[p] = true
		b, err := probe(ctx, p)
		if err != nil {
			problems = append(problems, Problem{Path: p, Reason: err.Error()})
			continue
		}
		if old, ok := found[b.Version]; !ok || b.patch > old.patch {
			found[b.Version] = b
		}
	}
	return found, problems
}

func scan(dir string, depth int) []string {
	var out []string
	root := filepath.Clean(dir)
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable parts are skipped; a missing dir is reported by Check
		}
		rel, _ := filepath.Rel(root, p)
		level := 0
		if rel != "." {
			level = strings.Count(rel, string(filepath.Separator)) + 1
		}
		if d.IsDir() && level > depth {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() == exeName() && executable(p) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func executable(p string) bool {
	st, err := os.Stat(p)
	if err != nil || st.IsDir() {
		return false
	}
	return goruntime.GOOS == "windows" || st.Mode().Perm()&0o111 != 0
}

// probe runs `mongod --version` with fixed arguments.
func probe(ctx context.Context, path string) (Binary, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").CombinedOutput()
	m := versionLine.FindSubmatch(out)
	if m == nil {
		if ee, ok := err.(*exec.ExitError); ok && signalOf(ee.ProcessState) == 4 {
			return Binary{}, fmt.Errorf("died with SIGILL (illegal instruction): this CPU lacks an instruction set the build needs (MongoDB 5.0+ needs AVX on x86-64)")
		}
		if err != nil {
			return Binary{}, fmt.Errorf("`%s --version` failed: %v", path, err)
		}
		return Binary{}, fmt.Errorf("`%s --version` printed no \"db version vX.Y.Z\" line", path)
	}
	maj, _ := strconv.Atoi(string(m[1]))
	min, _ := strconv.Atoi(string(m[2]))
	patch, _ := strconv.Atoi(string(m[3]))
	return Binary{Path: path, Full: fmt.Sprintf("%d.%d.%d", maj, min, patch), Version: plan.Version{Major: maj, Minor: min}, patch: patch}, nil
}
