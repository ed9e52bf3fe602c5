//go:build !windows

package local

import (
	"os"
	"os/exec"
	"syscall"
)

// detach puts mongod in its own process group, so a Ctrl-C in the terminal
// reaches mongostep only, and mongostep decides how mongod stops.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }

func signalOf(ps *os.ProcessState) int {
	if ps == nil {
		return 0
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return int(ws.Signal())
	}
	return 0
}

func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}

func terminatePID(pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }
