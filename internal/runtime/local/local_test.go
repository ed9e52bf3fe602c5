package local

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

func TestMain(m *testing.M) { os.Exit(simtest.RunMain(m)) }

func TestFindNewestPatchPerLine(t *testing.T) {
	root := t.TempDir()
	simtest.InstallVersions(t, filepath.Join(root, "a"), "4.0.27", "4.2.16")
	simtest.InstallVersions(t, filepath.Join(root, "b", "deeper"), "4.0.28")
	if err := os.WriteFile(filepath.Join(root, "b", "mongod"), []byte("#!/bin/sh\necho hello\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	found, problems := Find(context.Background(), []string{root}, false)
	if got := found[plan.MustVersion("4.0")]; got.Full != "4.0.28" {
		t.Errorf("4.0 -> %+v, want the newest patch 4.0.28", got)
	}
	if got := found[plan.MustVersion("4.2")]; got.Full != "4.2.16" {
		t.Errorf("4.2 -> %+v", got)
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Reason, `printed no "db version`) {
		t.Errorf("a mongod that is not one must be reported: %+v", problems)
	}
}

func TestCheckNamesMissingVersions(t *testing.T) {
	root := t.TempDir()
	simtest.InstallVersions(t, root, "4.0.27")
	rt := New(context.Background(), []string{root})
	steps := []plan.Step{{Version: plan.MustVersion("4.0")}, {Version: plan.MustVersion("4.2")}}
	err := rt.Check(context.Background(), steps, nil)
	var me *MissingError
	if !errors.As(err, &me) || len(me.Versions) != 1 || me.Versions[0] != "4.2" || !strings.Contains(err.Error(), "--mongod-dir") {
		t.Fatalf("Check = %v", err)
	}
}

func TestStartStopKillAndLeftovers(t *testing.T) {
	root := t.TempDir()
	dirs := simtest.InstallVersions(t, filepath.Join(root, "bin"), "4.4.9")
	rt := New(context.Background(), []string{filepath.Join(root, "bin")})
	db := filepath.Join(root, "db")
	if err := os.Mkdir(db, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MONGODSIM_FSYNC", "0")
	spec := runtime.Spec{Version: plan.MustVersion("4.4"), DBPath: db, LogPath: filepath.Join(root, "logs", "m.log")}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// a clean stop: exit 0 and an empty mongod.lock
	in, err := rt.Start(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if users, _ := rt.UsersOf(ctx, root); len(users) != 1 || !strings.Contains(users[0].Stop, "kill -TERM") {
		t.Errorf("UsersOf = %+v", users)
	}
	if err := in.Stop(ctx); err != nil {
		t.Fatalf("clean stop: %v", err)
	}
	if !in.Exit().Clean() {
		t.Fatalf("exit %v", in.Exit())
	}

	// killed: Stop reports the unclean end with the log's tail
	in, err = rt.Start(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	waitListening(t, in)
	_ = in.Kill()
	<-in.Done()
	var ee *runtime.ExitError
	if err := in.Stop(ctx); !errors.As(err, &ee) || ee.Exit.Signal != 9 || ee.Exit.LockEmpty || len(ee.Exit.LogTail) == 0 {
		t.Fatalf("after kill: %v", err)
	}

	// a mongod left running by an interrupted run is stopped cleanly
	p := simtest.Start(t, filepath.Join(dirs["4.4"], "mongod"), db)
	found, err := rt.Leftovers(ctx, "run", db)
	if err != nil || len(found) != 1 {
		t.Fatalf("Leftovers = %v, %v", found, err)
	}
	if ex, err := p.Wait(10 * time.Second); err != nil || ex.Code != 0 {
		t.Fatalf("leftover ended %v, %v", ex, err)
	}
	if b, _ := os.ReadFile(filepath.Join(db, "mongod.lock")); len(b) != 0 {
		t.Fatalf("leftover stop was not clean: lock %q", b)
	}
}

func waitListening(t *testing.T, in runtime.Instance) {
	t.Helper()
	c, err := simtest.Dial(in.Addr(), 20*time.Second)
	for i := 0; err != nil && i < 100; i++ {
		time.Sleep(100 * time.Millisecond)
		c, err = simtest.Dial(in.Addr(), 5*time.Second)
	}
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}
