package mongodsim_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

func TestFailCrashStart(t *testing.T) {
	dirs := install(t)
	db := newDBPath(t)
	e, out := runSim(t, mongodOf(dirs, "4.2"), db, "MONGODSIM_FAIL=crash-start")
	if e.Code != 14 || lockContent(t, db) == "" {
		t.Fatalf("crash-start: %s, lock %q\n%s", e, lockContent(t, db), out)
	}
	if len(metricsFiles(t, db)) != 0 {
		t.Fatal("crash-start wrote FTDC")
	}
	// only for the named major
	simtest.Start(t, mongodOf(dirs, "4.2"), db, "MONGODSIM_FAIL=crash-start@4.0").Stop()
	if e, _ := runSim(t, mongodOf(dirs, "4.2"), db, "MONGODSIM_FAIL=crash-start@4.2"); e.Code != 14 {
		t.Fatalf("crash-start@4.2 on 4.2: %s", e)
	}
	p := simtest.Start(t, mongodOf(dirs, "4.2"), db)
	mustContain(t, "log", p.Log(), "Detected unclean shutdown")
	p.Stop()
}

func TestFailCrashSetFCV(t *testing.T) {
	dirs := install(t)
	db := freshAt(t, dirs, "4.2")
	p := simtest.Start(t, mongodOf(dirs, "4.4"), db, "MONGODSIM_FAIL=crash-setfcv@4.4")
	c := connect(t, p)
	if _, err := adminCmd(t, c, bson.D{{Key: "setFeatureCompatibilityVersion", Value: "4.4"}}); err == nil {
		t.Fatal("setFCV answered although the server killed itself")
	}
	disconnect(c)
	if e, err := p.Wait(10 * time.Second); err != nil || e.Signal != syscall.SIGKILL {
		t.Fatalf("crash-setfcv: %s %v", e, err)
	}
	if e, out := runSim(t, mongodOf(dirs, "5.0"), db); e.Code != 14 || !strings.Contains(out, "recover it with 4.4 first") {
		t.Fatalf("5.0 after the crash: %s\n%s", e, out)
	}
	p = simtest.Start(t, mongodOf(dirs, "4.4"), db)
	mustContain(t, "log", p.Log(), "A featureCompatibilityVersion upgrade did not complete")
	c = connect(t, p)
	fcv := fcvOf(t, c)
	if fcv.Lookup("version").StringValue() != "4.2" || fcv.Lookup("targetVersion").StringValue() != "4.4" {
		t.Fatalf("FCV after the crash: %s", fcv)
	}
	disconnect(c)
	p.Stop()
	if e, out := runSim(t, mongodOf(dirs, "5.0"), db); e.Code != 62 || !strings.Contains(out, `version: \"4.2\", targetVersion: \"4.4\"`) {
		t.Fatalf("5.0 on the transitional document: %s\n%s", e, out)
	}
	p = simtest.Start(t, mongodOf(dirs, "4.4"), db)
	c = connect(t, p)
	setFCV(t, c, "4.4", false) // resuming completes it
	disconnect(c)
	p.Stop()
	runOK(t, dirs, "5.0", db)
}

func TestFailHang(t *testing.T) {
	dirs := install(t)
	p := simtest.StartWith(t, simtest.Options{Bin: mongodOf(dirs, "6.0"), DBPath: newDBPath(t), Env: []string{"MONGODSIM_FAIL=hang"}, NoWait: true})
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := simtest.Dial(p.Addr(), 300*time.Millisecond)
		if err != nil && strings.Contains(err.Error(), "timeout") {
			break // TCP accepted, no answer
		}
		if err == nil {
			t.Fatal("hang: the server answered")
		}
		if time.Now().After(deadline) {
			t.Fatalf("hang: never accepted: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.Kill()
}

func TestFailHangShutdown(t *testing.T) {
	dirs := install(t)
	db := newDBPath(t)
	p := simtest.Start(t, mongodOf(dirs, "4.0"), db, "MONGODSIM_FAIL=hang-shutdown")
	p.Signal(syscall.SIGTERM)
	if _, err := p.Wait(500 * time.Millisecond); err == nil {
		t.Fatal("hang-shutdown: exited on SIGTERM")
	}
	wc, err := simtest.Dial(p.Addr(), 500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wc.Run("admin", bson.D{{Key: "shutdown", Value: 1}}); err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("hang-shutdown: shutdown command: %v", err)
	}
	if _, ok := p.Exited(); ok {
		t.Fatal("hang-shutdown: exited on the shutdown command")
	}
	if e := p.Kill(); e.Signal != syscall.SIGKILL || lockContent(t, db) == "" {
		t.Fatalf("kill: %s, lock %q", e, lockContent(t, db))
	}
}

func TestFailSlowStartAndShutdown(t *testing.T) {
	dirs := install(t)
	db := newDBPath(t)
	start := time.Now()
	p := simtest.StartWith(t, simtest.Options{Bin: mongodOf(dirs, "7.0"), DBPath: db,
		Env: []string{"MONGODSIM_FAIL=slow-start=700ms,slow-shutdown=700ms"}})
	if d := time.Since(start); d < 700*time.Millisecond {
		t.Fatalf("slow-start: answered after %s", d)
	}
	p.Signal(syscall.SIGTERM)
	if _, err := p.Wait(300 * time.Millisecond); err == nil {
		t.Fatal("slow-shutdown: exited within 300ms")
	}
	if e, err := p.Wait(10 * time.Second); err != nil || e.Code != 0 {
		t.Fatalf("slow-shutdown: %s %v", e, err)
	}
	if e, out := runSim(t, mongodOf(dirs, "7.0"), db, "MONGODSIM_FAIL=explode"); e.Code != 2 || !strings.Contains(out, `unknown switch "explode"`) {
		t.Fatalf("bad switch: %s %s", e, out)
	}
}
