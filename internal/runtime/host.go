package runtime

import (
	"os"
	goruntime "runtime"
	"strings"

	"github.com/mongostep/mongostep/internal/failpoint"
)

// LocalHost describes this machine: OS, architecture, kernel and AVX.
func LocalHost() Host {
	h := Host{OS: goruntime.GOOS, Arch: goruntime.GOARCH, Kernel: kernelRelease()}
	if h.OS == "linux" && (h.Arch == "amd64" || h.Arch == "386") {
		if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
			h.AVXKnown = true
			h.AVX = cpuHasAVX(string(b))
		}
	}
	return WithFakes(h)
}

func cpuHasAVX(cpuinfo string) bool {
	for _, line := range strings.Split(cpuinfo, "\n") {
		if !strings.HasPrefix(line, "flags") {
			continue
		}
		_, flags, _ := strings.Cut(line, ":")
		for _, f := range strings.Fields(flags) {
			if f == "avx" {
				return true
			}
		}
		return false
	}
	return false
}

// WithFakes applies the host facts a failpoints build may fake for tests
// (MONGOSTEP_FAKE_KERNEL, MONGOSTEP_FAKE_NO_AVX).
func WithFakes(h Host) Host {
	if k, ok := failpoint.Value("kernel"); ok {
		h.Kernel = k
	}
	if v, ok := failpoint.Value("no_avx"); ok && v != "" && v != "0" {
		h.AVX, h.AVXKnown = false, true
	}
	return h
}
