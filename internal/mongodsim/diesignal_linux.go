package mongodsim

import (
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// kernelSigaction mirrors struct sigaction as the rt_sigaction system call takes it on
// linux/amd64 and linux/arm64.
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

// dieBySignal makes the process die from sig the way a crashing C++ mongod does, so the parent
// sees "signal: illegal instruction" / shell exit 128+n. Go's runtime handles SIGILL and SIGSEGV
// itself, so the default disposition is put back with a raw rt_sigaction first.
func dieBySignal(sig syscall.Signal) {
	runtime.LockOSThread()
	_ = syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{}) // no core files in test dirs
	act := kernelSigaction{handler: 0}                            // SIG_DFL
	_, _, _ = syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0)
	set := uint64(1) << (uint(sig) - 1)
	const sigUnblock = 1
	_, _, _ = syscall.RawSyscall6(syscall.SYS_RT_SIGPROCMASK, sigUnblock, uintptr(unsafe.Pointer(&set)), 0, 8, 0, 0)
	_ = syscall.Tgkill(os.Getpid(), syscall.Gettid(), sig)
	_ = syscall.Kill(os.Getpid(), sig)
	// Not reached; if it were, exit the way a shell reports the signal.
	os.Exit(128 + int(sig))
}
