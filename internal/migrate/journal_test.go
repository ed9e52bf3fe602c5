package migrate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mongostep/mongostep/internal/plan"
)

func TestJournalRoundTripAndDamage(t *testing.T) {
	dir := t.TempDir()
	j := &Journal{Format: journalFormat, RunID: "abcd", Source: "/s", Target: "/t", To: "clearml-1.2", ToVersion: "4.4",
		Plan:  []plan.Step{{Version: plan.MustVersion("4.0"), Action: plan.ActionUpgrade, SetFCV: plan.MustVersion("4.0")}},
		Steps: []StepRecord{{Version: "4.0", PhaseRecord: PhaseRecord{State: stateDone}}}, path: journalPath(dir)}
	if err := j.save(); err != nil {
		t.Fatal(err)
	}
	got, err := loadJournal(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.RunID != "abcd" || got.Steps[0].State != stateDone || got.Plan[0].SetFCV != plan.MustVersion("4.0") {
		t.Fatalf("round trip lost data: %+v", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left beside the journal: %v", entries)
	}
	if err := os.WriteFile(journalPath(dir), []byte(`{"format":1,`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadJournal(dir); err == nil || !strings.Contains(err.Error(), "move the folder") {
		t.Fatalf("damaged journal: %v", err)
	}
	none, err := loadJournal(t.TempDir())
	if none != nil || err != nil {
		t.Fatalf("missing journal = %v, %v", none, err)
	}
}

func TestLockHeldStaleAndReleased(t *testing.T) {
	dir := t.TempDir()
	host, _ := os.Hostname()
	writeLock := func(pid int, host string) {
		t.Helper()
		b := fmt.Sprintf(`{"pid": %d, "host": %q, "started": "2020-01-01T00:00:00Z"}`, pid, host)
		if err := os.WriteFile(filepath.Join(dir, "lock"), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// held by a live process on this host (pid 1 always runs)
	writeLock(1, host)
	_, _, err := acquireLock(dir, "mongostep migrate")
	var le *LockedError
	if !errors.As(err, &le) || le.Info.PID != 1 || !strings.Contains(err.Error(), "rm "+filepath.Join(dir, "lock")) {
		t.Fatalf("a live run's lock: %v", err)
	}
	// held by a process that is gone: taken over, and said so
	for _, pid := range []int{999999999, os.Getpid()} {
		writeLock(pid, host)
		l, notes, err := acquireLock(dir, "mongostep migrate")
		if err != nil || len(notes) != 1 || !strings.Contains(notes[0], fmt.Sprint(pid)) {
			t.Fatalf("stale lock of pid %d: %v %v", pid, err, notes)
		}
		l.release()
		if _, err := os.Stat(filepath.Join(dir, "lock")); !os.IsNotExist(err) {
			t.Fatal("release left the lock file")
		}
	}
	// a lock from another host is never taken over
	writeLock(1, "some-other-host")
	if _, _, err := acquireLock(dir, "x"); !errors.As(err, &le) || le.Info.Host != "some-other-host" {
		t.Fatalf("a lock from another host must not be taken over: %v", err)
	}
}

func TestResolvePaths(t *testing.T) {
	stamp := time.Date(2026, 11, 30, 21, 45, 0, 0, time.UTC)
	to, _ := plan.ParseTarget("clearml-2.0")
	p, err := ResolvePaths(Options{Source: "/opt/clearml/data/mongo_4", Target: "/opt/clearml/data/mongo_4", To: to}, stamp)
	if err != nil {
		t.Fatal(err)
	}
	if !p.InPlace || p.KeepOld != "/opt/clearml/data/mongo_4.before-6.0-20261130-214500" ||
		p.Backup != "/opt/clearml/data/mongo_4-backup-20261130-214500.tar.gz" || p.Work != "/opt/clearml/data/mongo_4.mongostep-6.0/data" {
		t.Fatalf("in place: %+v", p)
	}
	if _, err := ResolvePaths(Options{Source: "/data/mongo", Target: "/data/mongo/inside", To: to}, stamp); err == nil {
		t.Fatal("a target inside the source was accepted")
	}
	if _, err := ResolvePaths(Options{Source: "/data/mongo", Target: "/data/new", To: to, Backup: "/data/mongo/b.tar.gz"}, stamp); err == nil {
		t.Fatal("a backup inside the source was accepted")
	}
	p, err = ResolvePaths(Options{Source: "/data/mongo", Target: "/data/new", To: to, NoBackup: true}, stamp)
	if err != nil || p.Backup != "" || p.Manifest != "/data/new.mongostep-6.0/source.manifest.json" {
		t.Fatalf("no backup: %+v %v", p, err)
	}
}

func TestKernelAtLeast(t *testing.T) {
	for k, want := range map[string]bool{"6.19.0-1-amd64": true, "6.18.9": false, "7.0.0-5-generic": true, "5.15.0": false, "": false, "x": false} {
		if got := kernelAtLeast(k, 6, 19); got != want {
			t.Errorf("kernelAtLeast(%q) = %v", k, got)
		}
	}
}
