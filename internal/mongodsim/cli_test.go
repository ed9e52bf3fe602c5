package mongodsim_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

func TestVersionOutput(t *testing.T) {
	dirs := install(t)
	e, out, _ := simtest.Run(t, mongodOf(dirs, "4.2"), []string{"--version"})
	lines := strings.Split(out, "\n")
	if e.Code != 0 || lines[0] != "db version v4.2.24" || !strings.HasPrefix(lines[1], "git version: ") ||
		!strings.Contains(out, "\nallocator: tcmalloc\nmodules: none\nbuild environment:\n    distmod: ubuntu1804\n") {
		t.Fatalf("4.2 --version: %s\n%s", e, out)
	}
	for major, alloc := range map[string]string{"4.4": "tcmalloc", "8.0": "tcmalloc-google"} {
		e, out, _ := simtest.Run(t, mongodOf(dirs, major), []string{"--version"})
		first, rest, _ := strings.Cut(out, "\n")
		if e.Code != 0 || !strings.HasPrefix(first, "db version v"+major+".") || !strings.HasPrefix(rest, "Build Info: {") {
			t.Fatalf("%s --version: %s\n%s", major, e, out)
		}
		var info struct {
			Version     string `json:"version"`
			Allocator   string `json:"allocator"`
			Environment struct {
				Distmod string `json:"distmod"`
			} `json:"environment"`
		}
		if err := json.Unmarshal([]byte(strings.TrimPrefix(rest, "Build Info: ")), &info); err != nil {
			t.Fatalf("%s Build Info is not JSON: %v\n%s", major, err, rest)
		}
		if first != "db version v"+info.Version || info.Allocator != alloc || info.Environment.Distmod == "" {
			t.Fatalf("%s Build Info: %+v", major, info)
		}
	}
}

func TestCommandLineErrors(t *testing.T) {
	dirs := install(t)
	cases := []struct {
		major string
		args  []string
		want  string
	}{
		{"8.0", []string{"--foo"}, "Error parsing command line: unrecognised option '--foo'\ntry 'mongod --help' for more information\n"},
		{"3.4", []string{"--bind_ip_all"}, "Error parsing command line: unrecognised option '--bind_ip_all'\n"},
		{"7.0", []string{"--journal"}, "Error parsing command line: unrecognised option '--journal'\n"},
		{"6.0", []string{"--port"}, "Error parsing command line: the required argument for option '--port' is missing\n"},
		{"6.0", []string{"--port=http"}, "Error parsing command line: the argument ('http') for option '--port' is invalid"},
		{"6.0", []string{"--bind_ip", "1.2.3.4", "--bind_ip_all"}, "cannot be used with"},
		{"6.0", []string{"--fork", "--logpath", "x"}, "--fork is not simulated"},
	}
	for _, tc := range cases {
		e, stdout, stderr := simtest.Run(t, mongodOf(dirs, tc.major), tc.args)
		if e.Code != 2 || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%s %v: %s, stdout %q, stderr %q; want exit 2 and %q", tc.major, tc.args, e, stdout, stderr, tc.want)
		}
	}
	e, stdout, _ := simtest.Run(t, mongodOf(dirs, "4.0"), []string{"--help"})
	if e.Code != 0 || !strings.Contains(stdout, "--dbpath arg") || strings.Contains(stdout, "--bind_ip_all arg") {
		t.Fatalf("--help: %s %q", e, stdout)
	}
}

func TestVersionSelection(t *testing.T) {
	bin := simtest.Build(t)
	dir := t.TempDir()
	lone := filepath.Join(dir, "mongod")
	if err := os.Link(bin, lone); err != nil {
		t.Fatal(err)
	}
	e, _, stderr := simtest.Run(t, lone, []string{"--version"})
	if e.Code != 2 || !strings.Contains(stderr, "no version to simulate: set MONGODSIM_VERSION") {
		t.Fatalf("no version: %s %q", e, stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "mongodsim.version"), []byte("5.0.31\n# comment\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := simtest.Run(t, lone, []string{"--version"}); !strings.HasPrefix(out, "db version v5.0.31\n") {
		t.Fatalf("version file: %q", out)
	}
	if _, out, _ := simtest.Run(t, lone, []string{"--version"}, "MONGODSIM_VERSION=4.0.3"); !strings.HasPrefix(out, "db version v4.0.3\n") {
		t.Fatalf("env must win over the file: %q", out)
	}
	// a symlink is found through argv[0]'s directory
	sdir := t.TempDir()
	if err := os.Symlink(lone, filepath.Join(sdir, "mongod")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sdir, "mongodsim.version"), []byte("7.0.37"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := simtest.Run(t, filepath.Join(sdir, "mongod"), []string{"--version"}); !strings.HasPrefix(out, "db version v7.0.37\n") {
		t.Fatalf("symlink: %q", out)
	}
	if e, _, stderr := simtest.Run(t, lone, []string{"--version"}, "MONGODSIM_VERSION=3.2.22"); e.Code != 2 || !strings.Contains(stderr, "is not simulated") {
		t.Fatalf("unsupported version: %s %q", e, stderr)
	}
}

func TestNoAVXDiesBySIGILL(t *testing.T) {
	dirs := install(t)
	e, stdout, stderr := simtest.Run(t, mongodOf(dirs, "5.0"), []string{"--version"}, "MONGODSIM_NO_AVX=1")
	if e.Signal != syscall.SIGILL || stdout != "" || stderr != "" {
		t.Fatalf("5.0 without AVX: %s %q %q", e, stdout, stderr)
	}
	if e, _, _ := simtest.Run(t, mongodOf(dirs, "4.4"), []string{"--version"}, "MONGODSIM_NO_AVX=1"); e.Code != 0 {
		t.Fatalf("4.4 needs no AVX: %s", e)
	}
}

func TestKernel619(t *testing.T) {
	k := "MONGODSIM_KERNEL=6.19.0-1-generic"
	guarded := simtest.InstallVersions(t, t.TempDir(), "8.0.28", "8.3.9", "9.0.4") // builds with the start-up guard
	for major, dir := range guarded {
		e, out := runSim(t, filepath.Join(dir, "mongod"), newDBPath(t), k)
		if e.Code != 1 || !strings.Contains(out, `"id":12257600`) || !strings.Contains(out, "Linux kernel versions 6.19 and newer has a known incompatibility") {
			t.Fatalf("guarded %s on 6.19: %s\n%s", major, e, out)
		}
		p := simtest.Start(t, filepath.Join(dir, "mongod"), newDBPath(t), k, "GLIBC_TUNABLES=glibc.pthread.rseq=1")
		p.Stop()
	}
	unguarded := simtest.InstallVersions(t, t.TempDir(), "8.0.26", "8.2.12", "8.3.8") // crash ~30s in instead
	for major, dir := range unguarded {
		db := newDBPath(t)
		p := simtest.Start(t, filepath.Join(dir, "mongod"), db, k, "MONGODSIM_SEGV_AFTER=300ms")
		e, err := p.Wait(10 * time.Second)
		if err != nil || e.Signal != syscall.SIGSEGV {
			t.Fatalf("unguarded %s on 6.19: %s %v", major, e, err)
		}
		if lockContent(t, db) == "" {
			t.Fatalf("SIGSEGV left an empty lock file (%s)", major)
		}
	}
	dirs := install(t)
	p := simtest.Start(t, mongodOf(dirs, "7.0"), newDBPath(t), k, "MONGODSIM_SEGV_AFTER=1ms")
	time.Sleep(100 * time.Millisecond)
	p.Stop() // 7.0 is unaffected
}
