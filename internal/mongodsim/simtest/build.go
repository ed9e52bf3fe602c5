package simtest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/mongostep/mongostep/internal/mongodsim"
)

// SimPackage is the simulator's main package.
const SimPackage = "github.com/mongostep/mongostep/internal/mongodsim/cmd/mongodsim"

var (
	buildMu   sync.Mutex
	buildDir  string
	buildPath string
)

// Build compiles the simulator once per test process (CGO_ENABLED=0, into a temporary
// directory) and returns the binary's path. Call RunMain from TestMain to remove the directory
// when the tests end.
func Build(t testing.TB) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if buildPath != "" {
		return buildPath
	}
	dir, err := os.MkdirTemp("", "mongodsim-bin-")
	if err != nil {
		t.Fatalf("simtest: create build dir: %v", err)
	}
	out := filepath.Join(dir, "mongodsim")
	cmd := exec.Command(goTool(), "build", "-o", out, SimPackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		t.Fatalf("simtest: go build %s: %v\n%s", SimPackage, err, msg)
	}
	buildDir, buildPath = dir, out
	return out
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// RunMain runs the tests and then removes the binary built by Build:
//
//	func TestMain(m *testing.M) { os.Exit(simtest.RunMain(m)) }
func RunMain(m *testing.M) int {
	code := m.Run()
	buildMu.Lock()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
		buildDir, buildPath = "", ""
	}
	buildMu.Unlock()
	return code
}

// InstallVersions creates dir/<major>/mongod (a hard link to the built binary, or a copy when
// linking is not possible) and dir/<major>/mongodsim.version for each full version, and
// returns major -> dir/<major>.
func InstallVersions(t testing.TB, dir string, versions ...string) map[string]string {
	t.Helper()
	bin := Build(t)
	out := map[string]string{}
	for _, v := range versions {
		b, err := mongodsim.NewBinary(v)
		if err != nil {
			t.Fatalf("simtest: InstallVersions: %v", err)
		}
		d := filepath.Join(dir, b.Release.Major)
		if err := installOne(bin, d, v); err != nil {
			t.Fatalf("simtest: InstallVersions %s: %v", v, err)
		}
		out[b.Release.Major] = d
	}
	return out
}

func installOne(bin, dir, version string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	dst := filepath.Join(dir, "mongod")
	_ = os.Remove(dst)
	if err := os.Link(bin, dst); err != nil {
		if err := copyFile(bin, dst); err != nil {
			return err
		}
	}
	vf := filepath.Join(dir, mongodsim.VersionFile)
	if err := os.WriteFile(vf, []byte(version+"\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", vf, err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return fmt.Errorf("create %s: %w", dst, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("close %s: %w", dst, err)
	}
	return nil
}
