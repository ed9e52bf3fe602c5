//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package dbpath

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

const holdLockEnv = "DBPATH_TEST_HOLD_LOCK"

// TestMain doubles as a helper process that holds a flock like mongod does.
func TestMain(m *testing.M) {
	if path := os.Getenv(holdLockEnv); path != "" {
		os.Exit(holdLock(path))
	}
	os.Exit(m.Run())
}

// holdLock locks path exclusively, says "locked", and keeps the lock until
// stdin closes.
func holdLock(path string) int {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	}
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("locked")
	_, _ = io.Copy(io.Discard, os.Stdin)
	return 0
}

func TestInUseWithChildHoldingLock(t *testing.T) {
	dir := standardDB().write(t, t.TempDir())
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdLockEnv+"="+filepath.Join(dir, lockFile))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		stdin.Close()
		_ = cmd.Wait()
		t.Fatalf("helper: %q", line)
	}
	if inUse, err := InUse(dir); err != nil || !inUse {
		t.Errorf("while the child holds the lock: InUse = %v, %v; want true, nil", inUse, err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if inUse, err := InUse(dir); err != nil || inUse {
		t.Errorf("after the child exited: InUse = %v, %v; want false, nil", inUse, err)
	}
}

// flock locks belong to the open file description, so a lock on another fd
// of this process conflicts with InUse's probe just like another process's.
func TestInUseWithLockOnAnotherFD(t *testing.T) {
	dir := standardDB().write(t, t.TempDir())
	path := filepath.Join(dir, lockFile)
	if err := os.Chmod(path, 0o444); err != nil { // read-only, like the fixtures
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if inUse, err := InUse(dir); err != nil || !inUse {
		t.Errorf("locked: InUse = %v, %v; want true, nil", inUse, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	if inUse, err := InUse(dir); err != nil || inUse {
		t.Errorf("unlocked: InUse = %v, %v; want false, nil", inUse, err)
	}
	// The probe must have released its own lock.
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Errorf("lock still held after InUse returned: %v", err)
	}
}
