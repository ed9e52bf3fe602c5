package dbpath

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLockAndClean(t *testing.T) {
	cases := []struct {
		name    string
		lock    *string
		want    Lock
		clean   bool
		warning []string
	}{
		{"clean", strptr(""), Lock{Present: true, Empty: true}, true, nil},
		{"pid", strptr("10462\n"), Lock{Present: true, PID: 10462, Raw: "10462\n"}, false, []string{"PID 10462", "did not shut down cleanly"}},
		{"container pid 1", strptr("1\n"), Lock{Present: true, PID: 1, Raw: "1\n"}, false, []string{"PID 1", "container"}},
		{"garbage", strptr("hello"), Lock{Present: true, Raw: "hello"}, false, []string{"not empty", "hello"}},
		{"whitespace only", strptr("\n"), Lock{Present: true, Raw: "\n"}, false, []string{"not empty"}},
		{"absent", nil, Lock{}, false, []string{"mongod.lock is absent", "unclean"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := standardDB()
			db.lock = c.lock
			info := mustInspect(t, db.write(t, t.TempDir()))
			if info.Lock != c.want || info.Clean != c.clean {
				t.Errorf("lock %+v clean %v, want %+v %v", info.Lock, info.Clean, c.want, c.clean)
			}
			if c.warning != nil {
				requireWarning(t, info, c.warning...)
			} else if w := warningWith(info, "mongod.lock"); w != "" {
				t.Errorf("unexpected lock warning %q", w)
			}
		})
	}
}

func TestInUseMissingLockCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	inUse, err := InUse(dir)
	if err != nil || inUse {
		t.Fatalf("InUse = %v, %v; want false, nil", inUse, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, lockFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("InUse created mongod.lock (stat: %v)", err)
	}
}

func TestInUseFromContentFallback(t *testing.T) {
	cause := errors.New("flock: no locks on this filesystem")
	dir := t.TempDir()
	if inUse, err := inUseFromContent(dir, cause); inUse || err != nil {
		t.Errorf("no lock file: %v, %v; want false, nil", inUse, err)
	}
	mustWrite(t, filepath.Join(dir, lockFile), nil)
	if inUse, err := inUseFromContent(dir, cause); inUse || err != nil {
		t.Errorf("empty lock: %v, %v; want false, nil", inUse, err)
	}
	mustWrite(t, filepath.Join(dir, lockFile), []byte("4242\n"))
	_, err := inUseFromContent(dir, cause)
	if !errors.Is(err, ErrInUseUnknown) || !errors.Is(err, cause) {
		t.Errorf("non-empty lock: err %v, want ErrInUseUnknown wrapping the cause", err)
	}
}
