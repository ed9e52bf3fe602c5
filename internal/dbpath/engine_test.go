package dbpath

import (
	"path/filepath"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
)

func TestEngineDetection(t *testing.T) {
	cases := []struct {
		name    string
		db      fakeDB
		want    string
		warning []string // fragments of a warning that must be present
	}{
		{"storage.bson wiredTiger", fakeDB{engine: EngineWiredTiger, wt: "3.1.1", lock: strptr("")}, EngineWiredTiger, nil},
		{"storage.bson mmapv1", fakeDB{engine: EngineMMAPv1, lock: strptr(""),
			extra: map[string]string{"local.ns": "", "local.0": ""}}, EngineMMAPv1, []string{"MMAPv1", "4.2"}},
		{"pre-3.0 local.ns", fakeDB{lock: strptr(""), extra: map[string]string{"local.ns": "x"}},
			EngineMMAPv1, []string{"storage.bson is absent", "mmapv1"}},
		{"pre-3.0 local.0 only", fakeDB{lock: strptr(""), extra: map[string]string{"local.0": "x"}},
			EngineMMAPv1, []string{"storage.bson is absent", "mmapv1"}},
		{"pre-3.0 directoryperdb", fakeDB{lock: strptr(""), extra: map[string]string{"local/local.ns": "x"}},
			EngineMMAPv1, []string{"mmapv1"}},
		{"pre-3.0 other .ns", fakeDB{lock: strptr(""), extra: map[string]string{"test.ns": "x"}},
			EngineMMAPv1, []string{"mmapv1"}},
		{"no storage.bson but WiredTiger", fakeDB{wt: "2.8.1", lock: strptr("")},
			EngineWiredTiger, []string{"storage.bson is absent", "wiredTiger"}},
		{"corrupt storage.bson", fakeDB{wt: "10.0.2", lock: strptr(""),
			extra: map[string]string{"storage.bson": "\x20\x00\x00\x00garbage"}},
			EngineWiredTiger, []string{"storage.bson", "28661"}},
		{"only mongod.lock", fakeDB{lock: strptr("")}, "", []string{"storage engine is unknown"}},
		{"other engine", fakeDB{engine: "inMemory", lock: strptr("")}, "inMemory", []string{"inMemory"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info := mustInspect(t, c.db.write(t, t.TempDir()))
			if info.Engine != c.want {
				t.Errorf("Engine %q, want %q (warnings %q)", info.Engine, c.want, info.Warnings)
			}
			if c.warning != nil {
				requireWarning(t, info, c.warning...)
			}
		})
	}
}

func TestStorageOptionsAreDecoded(t *testing.T) {
	db := fakeDB{engine: EngineWiredTiger, wt: "10.0.2", lock: strptr(""), options: bson.D{
		{Key: "directoryPerDB", Value: true}, {Key: "directoryForIndexes", Value: false},
		{Key: "nested", Value: bson.D{{Key: "a", Value: int32(1)}}}, {Key: "list", Value: bson.A{"x"}}}}
	info := mustInspect(t, db.write(t, t.TempDir()))
	o := info.StorageOptions
	if o["directoryPerDB"] != true || o["directoryForIndexes"] != false {
		t.Errorf("options %v", o)
	}
	if n, ok := o["nested"].(map[string]any); !ok || n["a"] != int32(1) {
		t.Errorf("nested option %#v, want map[string]any{a:1}", o["nested"])
	}
	if l, ok := o["list"].([]any); !ok || len(l) != 1 || l[0] != "x" {
		t.Errorf("list option %#v, want []any{x}", o["list"])
	}
}

func TestMMAPv1HasNoWiredTigerWarnings(t *testing.T) {
	db := fakeDB{engine: EngineMMAPv1, lock: strptr(""), extra: map[string]string{"local.ns": ""}}
	info := mustInspect(t, db.write(t, filepath.Join(t.TempDir(), "d")))
	if w := warningWith(info, "WiredTiger.turtle"); w != "" {
		t.Errorf("MMAPv1 data should not warn about the turtle: %q", w)
	}
	if info.WTVersion != nil || info.WTCreatedBy != "" {
		t.Errorf("MMAPv1 data reported WiredTiger facts %+v %q", info.WTVersion, info.WTCreatedBy)
	}
}
