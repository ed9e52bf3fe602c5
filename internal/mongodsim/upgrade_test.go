package mongodsim_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

// TestUpgradeChain walks ClearML-like data from 3.4 to 9.0 one major at a time (stop, swap
// binary, start, setFCV, verify) and checks the confirm rules, UUIDs, FTDC, turtle and the
// data files on the way.
func TestUpgradeChain(t *testing.T) {
	dirs := install(t)
	db := newDBPath(t)
	ds := simtest.ClearML(7, 1)
	simtest.Seed(t, dirs["3.4"], db, ds)

	// 3.4 reports the FCV as a string.
	p := simtest.Start(t, mongodOf(dirs, "3.4"), db)
	wc, err := simtest.Dial(p.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	r, err := wc.Run("admin", bson.D{{Key: "getParameter", Value: 1}, {Key: "featureCompatibilityVersion", Value: 1}})
	if err != nil || r.Lookup("featureCompatibilityVersion").StringValue() != "3.4" {
		t.Fatalf("3.4 getParameter: %v %v", r, err)
	}
	_ = wc.Close()
	p.Stop()

	// 3.6 at FCV 3.4: no UUIDs yet, so 4.0 refuses the data (62).
	p = simtest.Start(t, mongodOf(dirs, "3.6"), db)
	c := connect(t, p)
	if v := fcvVersion(t, c); v != "3.4" {
		t.Fatalf("3.6 on 3.4 data: FCV %s", v)
	}
	if hasUUID(t, c, "backend", "task") {
		t.Fatal("collection has a UUID before setFCV 3.6")
	}
	p.Stop()
	e, out, _ := simtest.Run(t, mongodOf(dirs, "4.0"), []string{"--dbpath", db, "--port", "0", "--nounixsocket"})
	if e.Code != 62 {
		t.Fatalf("4.0 on UUID-less data: %s\n%s", e, out)
	}
	mustContain(t, "4.0 log", out, "UPGRADE PROBLEM: The data files need to be fully upgraded to version 3.6 before attempting an upgrade to 4.0")

	p = simtest.Start(t, mongodOf(dirs, "3.6"), db)
	c = connect(t, p)
	setFCV(t, c, "3.6", false)
	if !hasUUID(t, c, "backend", "task") {
		t.Fatal("setFCV 3.6 did not assign UUIDs")
	}
	p.Stop()

	for _, step := range []struct {
		major, target string
	}{{"4.0", "4.0"}, {"4.2", "4.2"}, {"4.4", "4.4"}, {"5.0", "5.0"}, {"6.0", "6.0"}, {"7.0", "7.0"}, {"8.0", "8.0"}, {"8.3", "8.3"}, {"9.0", "9.0"}} {
		p := simtest.Start(t, mongodOf(dirs, step.major), db, safeKernel)
		c := connect(t, p)
		before := fcvVersion(t, c)
		confirmRequired := step.major >= "7.0"
		_, err := adminCmd(t, c, bson.D{{Key: "setFeatureCompatibilityVersion", Value: step.target}, {Key: "confirm", Value: !confirmRequired}})
		if confirmRequired {
			if commandCode(err) != 7369100 {
				t.Fatalf("%s: setFCV with confirm:false: %v, want 7369100", step.major, err)
			}
			mustContain(t, "7369100 error", err.Error(), "Once you have upgraded to "+step.target)
		} else {
			if commandCode(err) != 40415 {
				t.Fatalf("%s: setFCV with confirm: %v, want 40415", step.major, err)
			}
			mustContain(t, "40415 error", err.Error(), "BSON field 'setFeatureCompatibilityVersion.confirm' is an unknown field")
		}
		if got := fcvVersion(t, c); got != before {
			t.Fatalf("%s: failed setFCV changed FCV %s -> %s", step.major, before, got)
		}
		if step.major == "8.3" {
			if _, err := adminCmd(t, c, bson.D{{Key: "setFeatureCompatibilityVersion", Value: "8.3"}, {Key: "dryRun", Value: true}}); err != nil {
				t.Fatalf("8.3 dryRun: %v", err)
			}
			if got := fcvVersion(t, c); got != before {
				t.Fatalf("dryRun changed FCV to %s", got)
			}
		}
		setFCV(t, c, step.target, confirmRequired)
		simtest.CheckDataset(t, p.Addr(), ds)
		p.Stop()
		if got := newestFTDCVersion(t, db); !strings.HasPrefix(got, step.major+".") {
			t.Fatalf("newest FTDC metadata says %s after running %s", got, step.major)
		}
		if lockContent(t, db) != "" {
			t.Fatalf("mongod.lock not empty after a clean stop of %s", step.major)
		}
		checkFilesDataset(t, db, ds, nil) // the WiredTiger files read offline as the same data
	}
	turtle, _ := os.ReadFile(filepath.Join(db, "WiredTiger.turtle"))
	mustContain(t, "turtle", string(turtle), "WiredTiger 12.0.0", "major=12,minor=0,patch=0", "file:WiredTiger.wt", "checkpoint=(")
}

func setFCV(t *testing.T, c *mongo.Client, target string, confirm bool) {
	t.Helper()
	cmd := bson.D{{Key: "setFeatureCompatibilityVersion", Value: target}}
	if confirm {
		cmd = append(cmd, bson.E{Key: "confirm", Value: true})
	}
	if _, err := adminCmd(t, c, cmd); err != nil {
		t.Fatalf("setFCV %s: %v", target, err)
	}
	fcv := fcvOf(t, c)
	if v := fcv.Lookup("version").StringValue(); v != target {
		t.Fatalf("after setFCV %s getParameter says %s", target, fcv)
	}
	if _, err := fcv.LookupErr("targetVersion"); err == nil {
		t.Fatalf("after setFCV %s the FCV is still transitional: %s", target, fcv)
	}
}

func hasUUID(t *testing.T, c *mongo.Client, db, coll string) bool {
	t.Helper()
	specs, err := c.Database(db).ListCollectionSpecifications(ctx(t), bson.D{{Key: "name", Value: coll}})
	if err != nil || len(specs) != 1 {
		t.Fatalf("listCollections %s.%s: %v %v", db, coll, specs, err)
	}
	return specs[0].UUID != nil
}

// newestFTDCVersion reads buildInfo.version from the newest metrics file's type-0 document.
func newestFTDCVersion(t *testing.T, db string) string {
	t.Helper()
	files := metricsFiles(t, db)
	if len(files) == 0 {
		t.Fatal("no FTDC metrics files")
	}
	sort.Strings(files)
	b, err := os.ReadFile(files[len(files)-1])
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off+4 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[off:]))
		d := bson.Raw(b[off : off+n])
		if d.Lookup("type").Int32() == 0 {
			return d.Lookup("doc", "buildInfo", "version").StringValue()
		}
		off += n
	}
	t.Fatalf("%s has no type-0 document", files[len(files)-1])
	return ""
}
