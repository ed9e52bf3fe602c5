package mongodsim_test

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/mongostep/mongostep/internal/mongodsim"
	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

// runSim runs a start that is expected to fail and returns its exit and output.
func runSim(t *testing.T, bin, db string, env ...string) (simtest.Exit, string) {
	t.Helper()
	e, out, errOut := simtest.Run(t, bin, []string{"--dbpath", db, "--port", "0", "--bind_ip", "127.0.0.1", "--nounixsocket"}, append([]string{safeKernel}, env...)...)
	return e, out + errOut
}

// freshAt starts major on a new dbpath, stops it cleanly and returns the dbpath.
func freshAt(t *testing.T, dirs map[string]string, major string) string {
	t.Helper()
	db := newDBPath(t)
	simtest.Start(t, mongodOf(dirs, major), db, safeKernel).Stop()
	return db
}

func TestWrongFCVExits62(t *testing.T) {
	dirs := install(t)
	cases := []struct {
		data, bin string
		want      []string
	}{
		{"3.6", "4.2", []string{"F CONTROL  [initandlisten] ** IMPORTANT: UPGRADE PROBLEM: Found an invalid featureCompatibilityVersion document (ERROR: BadValue: Invalid value for version, found 3.6, expected '4.2' or '4.0'.",
			`Contents of featureCompatibilityVersion document in admin.system.version: { _id: "featureCompatibilityVersion", version: "3.6" }`,
			"If the current featureCompatibilityVersion is below 4.0", "shutting down with code:62"}},
		{"3.6", "4.0", nil}, // FCV 3.6 is fine for 4.0: starts (checked below)
		{"4.0", "4.4", []string{"found 4.0, expected '4.4' or '4.2'"}},
		{"4.4", "6.0", []string{`"id":20573`, `"msg":"Wrong mongod version"`, "Location4926900", "Invalid feature compatibility version value, expected '5.0' or '5.3' or '6.0'"}},
		{"6.0", "8.0", []string{"Invalid feature compatibility version value '6.0'; expected '7.0' or '7.3' or '8.0'"}},
		{"7.0", "8.3", []string{"Invalid feature compatibility version value '7.0'. Expected one of: '8.3', '8.2', '8.0'"}},
	}
	for _, tc := range cases {
		t.Run(tc.data+"-data-on-"+tc.bin, func(t *testing.T) {
			db := freshAt(t, dirs, tc.data)
			if tc.want == nil {
				simtest.Start(t, mongodOf(dirs, tc.bin), db, safeKernel).Stop()
				return
			}
			if tc.data == "4.0" { // 4.4 refuses 4.0 turtles first; run 4.2 once without setFCV
				runOK(t, dirs, "4.2", db)
			}
			before := len(metricsFiles(t, db))
			e, out := runSim(t, mongodOf(dirs, tc.bin), db)
			if e.Code != 62 {
				t.Fatalf("exit %s, want 62\n%s", e, out)
			}
			mustContain(t, "log", out, append(tc.want, "UPGRADE PROBLEM")...)
			if got := len(metricsFiles(t, db)); got != before {
				t.Fatalf("a failed start wrote FTDC: %d -> %d metrics files", before, got)
			}
			if lockContent(t, db) != "" {
				t.Fatal("exit 62 left mongod.lock non-empty (it is a clean exit)")
			}
		})
	}
}

func runOK(t *testing.T, dirs map[string]string, major, db string) {
	t.Helper()
	simtest.Start(t, mongodOf(dirs, major), db, safeKernel).Stop()
}

func TestTurtleTooOldExits14(t *testing.T) {
	dirs := install(t)
	db := freshAt(t, dirs, "4.0")
	before := len(metricsFiles(t, db))
	e, out := runSim(t, mongodOf(dirs, "4.4"), db)
	if e.Code != 14 {
		t.Fatalf("4.4 on 4.0 data: %s\n%s", e, out)
	}
	mustContain(t, "log", out, `"id":4671205`, "This version of MongoDB is too recent to start up on the existing data files. Try MongoDB 4.2 or earlier.",
		"Detected version 3.1.1, Minimum version 3.2.0", `"msg":"Fatal assertion","attr":{"msgid":4671205`, "***aborting after fassert() failure")
	if lockContent(t, db) != "" || len(metricsFiles(t, db)) != before {
		t.Fatal("a refused start changed mongod.lock or FTDC")
	}
	turtle, _ := os.ReadFile(filepath.Join(db, "WiredTiger.turtle"))
	mustContain(t, "turtle", string(turtle), "major=3,minor=1,patch=1")
	// 5.0 and 8.0 refuse it the same way; 4.2 opens it.
	for _, m := range []string{"5.0", "8.0"} {
		if e, _ := runSim(t, mongodOf(dirs, m), db); e.Code != 14 {
			t.Fatalf("%s on 4.0 data: %s", m, e)
		}
	}
	runOK(t, dirs, "4.2", db)
}

func TestLockHeldExits100(t *testing.T) {
	dirs := install(t)
	for _, major := range []string{"3.6", "4.4"} {
		db := newDBPath(t)
		p := simtest.Start(t, mongodOf(dirs, major), db)
		e, out := runSim(t, mongodOf(dirs, major), db)
		if e.Code != 100 {
			t.Fatalf("%s second mongod: %s\n%s", major, e, out)
		}
		mustContain(t, "log", out, "DBPathInUse: Unable to lock the lock file: "+filepath.Join(db, "mongod.lock")+" (Resource temporarily unavailable). Another mongod instance is already running on the "+db+" directory")
		if major == "4.4" {
			mustContain(t, "log", out, `"id":20557`, `"exitCode":100`)
		} else {
			mustContain(t, "log", out, "exception in initAndListen: DBPathInUse", "shutting down with code:100")
		}
		if lockContent(t, db) == "" {
			t.Fatal("the refused mongod emptied the running one's lock file")
		}
		p.Stop()
	}
}

func TestKill9ThenRecoverWithSameMajor(t *testing.T) {
	dirs := install(t)
	db := newDBPath(t)
	p := simtest.Start(t, mongodOf(dirs, "4.2"), db)
	c := connect(t, p)
	if _, err := c.Database("app").Collection("x").InsertOne(ctx(t), bson.D{{Key: "_id", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	disconnect(c)
	if e := p.Kill(); e.Signal != syscall.SIGKILL {
		t.Fatalf("kill: %s", e)
	}
	if lockContent(t, db) == "" {
		t.Fatal("kill -9 left an empty mongod.lock")
	}
	e, out := runSim(t, mongodOf(dirs, "4.4"), db)
	if e.Code != 14 {
		t.Fatalf("4.4 after unclean 4.2 stop: %s\n%s", e, out)
	}
	mustContain(t, "log", out, "data not shut down cleanly by mongod 4.2.24; recover it with 4.2 first (simulated)")
	if lockContent(t, db) == "" {
		t.Fatal("the refused start emptied mongod.lock")
	}
	p = simtest.Start(t, mongodOf(dirs, "4.2"), db)
	mustContain(t, "log", p.Log(), "W -        [initandlisten] Detected unclean shutdown - "+filepath.Join(db, "mongod.lock")+" is not empty.")
	c = connect(t, p)
	if n, err := c.Database("app").Collection("x").EstimatedDocumentCount(ctx(t)); err != nil || n != 1 {
		t.Fatalf("acknowledged write lost: %d %v", n, err)
	}
	disconnect(c)
	p.Stop()
	if lockContent(t, db) != "" {
		t.Fatal("clean stop left mongod.lock non-empty")
	}
	runOK(t, dirs, "4.4", db)
}

func TestStartupRefusals(t *testing.T) {
	dirs := install(t)
	t.Run("missing FCV document", func(t *testing.T) {
		db := freshAt(t, dirs, "4.0")
		seedOne(t, dirs, "4.0", db)
		editState(t, db, func(s *mongodsim.State) { s.RemoveFCVDocument() })
		e, out := runSim(t, mongodOf(dirs, "4.0"), db)
		if e.Code != 14 {
			t.Fatalf("%s\n%s", e, out)
		}
		mustContain(t, "log", out, "Unable to start up mongod due to missing featureCompatibilityVersion document.", "Please run with --repair to restore the document.", "Fatal Assertion 40652")
	})
	t.Run("3.6 on 3.2-era data", func(t *testing.T) {
		db := freshAt(t, dirs, "3.4")
		seedOne(t, dirs, "3.4", db)
		editState(t, db, func(s *mongodsim.State) { s.RemoveFCVDocument() })
		e, out := runSim(t, mongodOf(dirs, "3.6"), db)
		if e.Code != 62 {
			t.Fatalf("%s\n%s", e, out)
		}
		mustContain(t, "log", out, "UPGRADE PROBLEM: The data files need to be fully upgraded to version 3.4 before attempting an upgrade to 3.6; see http://dochub.mongodb.org/core/3.6-upgrade-fcv for more details.")
	})
	t.Run("MONGODB-CR on 4.0", func(t *testing.T) {
		db := freshAt(t, dirs, "3.6")
		editState(t, db, func(s *mongodsim.State) { s.SetAuthSchemaVersion(3, true) })
		e, out := runSim(t, mongodOf(dirs, "4.0"), db)
		if e.Code != 4 {
			t.Fatalf("%s\n%s", e, out)
		}
		mustContain(t, "log", out, "This server is using MONGODB-CR, an authentication mechanism which has been removed from MongoDB 4.0.")
		runOK(t, dirs, "3.6", db) // 3.6 still starts
	})
	t.Run("mmapv1 on 4.2", func(t *testing.T) {
		db := newDBPath(t)
		simtest.StartWith(t, simtest.Options{Bin: mongodOf(dirs, "4.0"), DBPath: db, Args: []string{"--storageEngine", "mmapv1"}}).Stop()
		e, out := runSim(t, mongodOf(dirs, "4.2"), db)
		if e.Code != 100 {
			t.Fatalf("%s\n%s", e, out)
		}
		mustContain(t, "log", out, "created by the 'mmapv1' storage engine", "exception in initAndListen: Location18656: Cannot start server with an unknown storage engine: mmapv1, terminating")
	})
	t.Run("no dbpath", func(t *testing.T) {
		e, out := runSim(t, mongodOf(dirs, "5.0"), filepath.Join(t.TempDir(), "nope"))
		if e.Code != 100 {
			t.Fatalf("%s\n%s", e, out)
		}
		mustContain(t, "log", out, "NonExistentPath: Data directory ", " not found.")
	})
	t.Run("real data files", func(t *testing.T) {
		db := newDBPath(t)
		if err := os.WriteFile(filepath.Join(db, "WiredTiger"), []byte("WiredTiger\nWiredTiger 10.0.2: (x)\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		e, out := runSim(t, mongodOf(dirs, "5.0"), db)
		if e.Code != 100 {
			t.Fatalf("%s\n%s", e, out)
		}
		mustContain(t, "log", out, "holds data files the simulator did not write")
	})
	t.Run("port in use", func(t *testing.T) {
		db := newDBPath(t)
		p := simtest.Start(t, mongodOf(dirs, "4.4"), newDBPath(t))
		e, out, _ := simtest.Run(t, mongodOf(dirs, "4.4"), []string{"--dbpath", db, "--port", itoa(p.Port()), "--bind_ip", "127.0.0.1", "--nounixsocket"})
		if e.Code != 48 {
			t.Fatalf("%s\n%s", e, out)
		}
		mustContain(t, "log", out, `"msg":"Failed to set up listener"`)
		if lockContent(t, db) != "" {
			t.Fatal("exit 48 left mongod.lock non-empty")
		}
		p.Stop()
	})
}

func seedOne(t *testing.T, dirs map[string]string, major, db string) {
	t.Helper()
	ds := simtest.Dataset{Collections: []simtest.Collection{{DB: "app", Name: "c", Docs: []bson.Raw{mustRaw(bson.D{{Key: "_id", Value: 1}})}}}}
	simtest.SeedWithEnv(t, dirs[major], db, ds, safeKernel)
}

func mustRaw(d bson.D) bson.Raw {
	b, err := bson.Marshal(d)
	if err != nil {
		panic(err)
	}
	return b
}

func editState(t *testing.T, db string, fn func(*mongodsim.State)) {
	t.Helper()
	if err := mongodsim.EditState(db, func(s *mongodsim.State) error { fn(s); return nil }); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
