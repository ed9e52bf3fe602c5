package migrate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// runLock keeps two mongostep runs off the same migration. It is a file
// holding the pid and host of the run; a lock whose process is gone on this
// host is stale and taken over.
type runLock struct{ path string }

type lockInfo struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
	Command string    `json:"command"`
}

// LockedError: another run holds the lock.
type LockedError struct {
	Path string
	Info lockInfo
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("another mongostep run (pid %d on host %s, started %s) is working on this migration: its lock is %s.\n"+
		"Wait for it to finish. If that run is gone (the machine restarted, or the process was killed on another host), delete the lock file and run the command again:\n  rm %s",
		e.Info.PID, e.Info.Host, e.Info.Started.Format(time.RFC3339), e.Path, e.Path)
}

func acquireLock(runDir, command string) (*runLock, []string, error) {
	path := filepath.Join(runDir, "lock")
	host, _ := os.Hostname()
	me := lockInfo{PID: os.Getpid(), Host: host, Started: time.Now().UTC(), Command: command}
	data, _ := json.Marshal(me)
	var notes []string
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			_, werr := f.Write(data)
			serr := f.Sync()
			cerr := f.Close()
			if err := errors.Join(werr, serr, cerr); err != nil {
				return nil, nil, fmt.Errorf("write lock %s: %w", path, err)
			}
			return &runLock{path: path}, notes, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, nil, fmt.Errorf("create lock %s: %w", path, err)
		}
		var other lockInfo
		b, _ := os.ReadFile(path)
		// a lock holding our own pid was left by an earlier run in another
		// PID namespace (a container restarted with the same pid 1)
		if json.Unmarshal(b, &other) != nil || other.Host != host || (other.PID != os.Getpid() && processAlive(other.PID)) {
			if other.PID == 0 {
				other.Host = "unknown (unreadable lock file)"
			}
			return nil, nil, &LockedError{Path: path, Info: other}
		}
		notes = append(notes, fmt.Sprintf("took over the lock of an earlier run (pid %d) that is no longer running", other.PID))
		if err := os.Remove(path); err != nil {
			return nil, nil, fmt.Errorf("remove stale lock %s: %w", path, err)
		}
	}
	return nil, nil, fmt.Errorf("could not take the lock %s", path)
}

func (l *runLock) release() {
	if l != nil {
		os.Remove(l.path)
	}
}
