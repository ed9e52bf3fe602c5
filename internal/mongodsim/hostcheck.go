package mongodsim

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Host-condition switches.
const (
	// EnvNoAVX=1 models a CPU without AVX: 5.0+ dies with SIGILL before printing anything.
	EnvNoAVX = "MONGODSIM_NO_AVX"
	// EnvKernel overrides the kernel release seen by the 8.x/9.0 rseq guard (else uname -r).
	EnvKernel = "MONGODSIM_KERNEL"
	// EnvSegvAfter is how long an unguarded 8.x build runs on kernel >= 6.19 before SIGSEGV.
	EnvSegvAfter = "MONGODSIM_SEGV_AFTER"
)

const defaultSegvAfter = 30 * time.Second

func avxMissing(b Binary, getenv func(string) string) bool {
	return b.NeedsAVX() && getenv(EnvNoAVX) == "1"
}

// kernelRelease returns the kernel release string the simulated build sees.
func kernelRelease(getenv func(string) string) string {
	if k := strings.TrimSpace(getenv(EnvKernel)); k != "" {
		return k
	}
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return ""
	}
	return unix.ByteSliceToString(u.Release[:])
}

// kernelHasRseqProblem: major.minor >= 6.19 (SERVER-121912; the guard has no upper bound).
func kernelHasRseqProblem(release string) bool {
	majStr, rest, ok := strings.Cut(release, ".")
	if !ok {
		return false
	}
	minStr := rest
	if i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minStr = rest[:i]
	}
	maj, err1 := strconv.Atoi(majStr)
	mn, err2 := strconv.Atoi(minStr)
	if err1 != nil || err2 != nil {
		return false
	}
	return maj > 6 || (maj == 6 && mn >= 19)
}

// rseqDisabled: GLIBC_TUNABLES=glibc.pthread.rseq=1 turns tcmalloc's per-CPU caches off.
func rseqDisabled(getenv func(string) string) bool {
	for _, t := range strings.Split(getenv("GLIBC_TUNABLES"), ":") {
		if strings.TrimSpace(t) == "glibc.pthread.rseq=1" {
			return true
		}
	}
	return false
}

// kernelOutcome is what the rseq problem does to this start.
type kernelOutcome int

const (
	kernelFine kernelOutcome = iota
	kernelGuardRefuses
	kernelSegvLater
)

func checkKernel(b Binary, getenv func(string) string) (kernelOutcome, string) {
	rel := kernelRelease(getenv)
	if !b.Release.Kernel.Affected || rseqDisabled(getenv) || !kernelHasRseqProblem(rel) {
		return kernelFine, rel
	}
	if b.KernelGuarded() {
		return kernelGuardRefuses, rel
	}
	return kernelSegvLater, rel
}

func segvAfter(getenv func(string) string) time.Duration {
	if v := getenv(EnvSegvAfter); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d >= 0 {
			return d
		}
	}
	return defaultSegvAfter
}
