package dockertest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"sync"
)

// The packages built into every simulator image.
const (
	simPackage        = "github.com/mongostep/mongostep/internal/mongodsim/cmd/mongodsim"
	entrypointPackage = "github.com/mongostep/mongostep/internal/mongodsim/cmd/simentrypoint"
)

// layer is the built image layer and its digest label.
type layer struct {
	tar    []byte
	digest string // of the two binaries and the layout version
}

var (
	layerMu   sync.Mutex
	layerBy   = map[string]*layer{} // by GOARCH
	layerErrs = map[string]error{}
)

// buildLayer compiles the simulator and the entrypoint (CGO_ENABLED=0,
// GOOS=linux, the engine's architecture) once per process, and returns the
// image layer.
func buildLayer(ctx context.Context, goarch string) (*layer, error) {
	layerMu.Lock()
	defer layerMu.Unlock()
	if l, ok := layerBy[goarch]; ok {
		return l, nil
	}
	if err, ok := layerErrs[goarch]; ok {
		return nil, err
	}
	l, err := compile(ctx, goarch)
	if err != nil {
		layerErrs[goarch] = err
		return nil, err
	}
	layerBy[goarch] = l
	return l, nil
}

func compile(ctx context.Context, goarch string) (*layer, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "mongostep-simimage-")
	if err != nil {
		return nil, fmt.Errorf("create build folder: %w", err)
	}
	defer os.RemoveAll(dir)
	cmd := exec.CommandContext(ctx, goTool(), "build", "-trimpath", "-ldflags=-s -w", "-o", dir+string(filepath.Separator), simPackage, entrypointPackage)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build the mongod simulator for the test images: %v\n%s", err, out)
	}
	mongod, err := os.ReadFile(filepath.Join(dir, "mongodsim"))
	if err != nil {
		return nil, fmt.Errorf("read built simulator: %w", err)
	}
	entry, err := os.ReadFile(filepath.Join(dir, "simentrypoint"))
	if err != nil {
		return nil, fmt.Errorf("read built entrypoint: %w", err)
	}
	h := sha256.New()
	h.Write([]byte(layoutVersion))
	h.Write(mongod)
	h.Write(entry)
	tarball, err := rootfs(mongod, entry)
	if err != nil {
		return nil, err
	}
	return &layer{tar: tarball, digest: hex.EncodeToString(h.Sum(nil))[:16]}, nil
}

// moduleRoot finds the folder holding go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("dockertest: no go.mod above the working directory; run from inside the mongostep module")
		}
		dir = parent
	}
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(goruntime.GOROOT(), "bin", "go")
}

// goArch turns the engine's architecture name into Go's.
func goArch(a string) string {
	switch a {
	case "x86_64", "amd64", "":
		if a == "" {
			return goruntime.GOARCH
		}
		return "amd64"
	case "aarch64", "arm64":
		return "arm64"
	}
	return a
}
