package dbpath

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

// fakeDB describes a synthetic dbpath written by write.
type fakeDB struct {
	engine  string            // storage.bson engine; "" writes no storage.bson
	wt      string            // WiredTiger version "X.Y.Z"; "" writes no WiredTiger files
	compat  string            // turtle "Compatibility version" as "X.Y"; "" for none
	lock    *string           // mongod.lock content; nil for no file
	ftdc    map[string][]byte // diagnostic.data file name -> content
	noDiag  bool              // do not create diagnostic.data
	extra   map[string]string // other files: relative path -> content
	options bson.D            // storage.bson options (default directoryPerDB/directoryForIndexes false)
}

func strptr(s string) *string { return &s }

// standardDB is a clean WiredTiger dbpath last run by mongod 4.4.9.
func standardDB() fakeDB {
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	return fakeDB{
		engine: EngineWiredTiger, wt: "10.0.2", lock: strptr(""),
		ftdc: map[string][]byte{
			"metrics.2024-03-01T10-00-00Z-00000": ftdcFile(metaDoc(at, flatBody("4.4.9")), metricDoc(at)),
			"metrics.interim":                    ftdcFile(metricDoc(at)),
		},
	}
}

func (f fakeDB) write(t testing.TB, dir string) string {
	t.Helper()
	mustMkdir(t, dir)
	if f.engine != "" {
		opts := f.options
		if opts == nil {
			opts = bson.D{{Key: "directoryPerDB", Value: false}, {Key: "directoryForIndexes", Value: false}}
		}
		doc := bson.D{{Key: "storage", Value: bson.D{{Key: "engine", Value: f.engine}, {Key: "options", Value: opts}}}}
		mustWrite(t, filepath.Join(dir, storageBSON), mustMarshal(t, doc))
	}
	if f.wt != "" {
		mustWrite(t, filepath.Join(dir, wtFile), []byte("WiredTiger\n"+wtString(f.wt)+"\n"))
		mustWrite(t, filepath.Join(dir, turtleFile), []byte(turtleText(f.wt, f.compat)))
	}
	if f.lock != nil {
		mustWrite(t, filepath.Join(dir, lockFile), []byte(*f.lock))
	}
	if !f.noDiag {
		mustMkdir(t, filepath.Join(dir, diagDir))
	}
	for name, data := range f.ftdc {
		mustWrite(t, filepath.Join(dir, diagDir, name), data)
	}
	for rel, data := range f.extra {
		mustMkdir(t, filepath.Dir(filepath.Join(dir, rel)))
		mustWrite(t, filepath.Join(dir, rel), []byte(data))
	}
	return dir
}

func wtString(v string) string { return "WiredTiger " + v + ": (December 21, 2021)" }

func turtleText(v, compat string) string {
	var b strings.Builder
	if compat != "" {
		maj, mnr, _ := strings.Cut(compat, ".")
		b.WriteString("Compatibility version\nmajor=" + maj + ",minor=" + mnr + "\n")
	}
	parts := strings.Split(v, ".")
	b.WriteString("WiredTiger version string\n" + wtString(v) + "\n")
	b.WriteString("WiredTiger version\nmajor=" + parts[0] + ",minor=" + parts[1] + ",patch=" + parts[2] + "\n")
	b.WriteString("file:WiredTiger.wt\nallocation_size=4KB,app_metadata=,checkpoint=(WiredTigerCheckpoint.1=(addr=\"\",order=1))\n")
	return b.String()
}

// FTDC documents as mongod writes them.
func metaDoc(at time.Time, body bson.D) bson.D {
	return bson.D{{Key: "_id", Value: at}, {Key: "type", Value: int32(0)}, {Key: "doc", Value: body}}
}

func metricDoc(at time.Time) bson.D {
	return bson.D{{Key: "_id", Value: at}, {Key: "type", Value: int32(1)},
		{Key: "data", Value: []byte{0x10, 0, 0, 0, 0x78, 0x9c, 1, 2, 3}}}
}

func buildInfo(version string) bson.D {
	return bson.D{{Key: "start", Value: time.Unix(0, 0)}, {Key: "version", Value: version},
		{Key: "gitVersion", Value: "abc"}, {Key: "versionArray", Value: bson.A{int32(4), int32(4)}}}
}

// flatBody is the type-0 doc layout of a non-sharded mongod.
func flatBody(version string) bson.D {
	return bson.D{{Key: "start", Value: time.Unix(0, 0)}, {Key: "buildInfo", Value: buildInfo(version)},
		{Key: "getCmdLineOpts", Value: bson.D{{Key: "argv", Value: bson.A{"mongod"}}}},
		{Key: "end", Value: time.Unix(0, 0)}}
}

// shardedBody is 8.0's role-based layout with buildInfo one level deeper.
func shardedBody(version string) bson.D {
	return bson.D{{Key: "start", Value: time.Unix(0, 0)},
		{Key: "common", Value: bson.D{{Key: "hostInfo", Value: bson.D{{Key: "os", Value: "linux"}}}}},
		{Key: "shard", Value: bson.D{{Key: "buildInfo", Value: buildInfo(version)}}},
		{Key: "end", Value: time.Unix(0, 0)}}
}

func ftdcFile(docs ...bson.D) []byte {
	var out []byte
	for _, d := range docs {
		b, err := bson.Marshal(d)
		if err != nil {
			panic(err)
		}
		out = append(out, b...)
	}
	return out
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := bson.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustWrite(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustMkdir(t testing.TB, path string) {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
}

func mustInspect(t testing.TB, dir string) *Info {
	t.Helper()
	info, err := Inspect(dir)
	if err != nil {
		t.Fatalf("Inspect(%s): %v", dir, err)
	}
	return info
}

// warningWith returns the first warning containing every fragment, or "".
func warningWith(info *Info, fragments ...string) string {
	for _, w := range info.Warnings {
		all := true
		for _, f := range fragments {
			all = all && strings.Contains(w, f)
		}
		if all {
			return w
		}
	}
	return ""
}

func requireWarning(t testing.TB, info *Info, fragments ...string) {
	t.Helper()
	if warningWith(info, fragments...) == "" {
		t.Errorf("no warning containing %q; warnings: %q", fragments, info.Warnings)
	}
}
