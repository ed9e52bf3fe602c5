package mongodsim

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

func sampleState(t testing.TB, docs int) *State {
	t.Helper()
	s := NewState()
	s.LastVersion = "4.0.28"
	s.SetFCVDocument(bson.D{{Key: "version", Value: "4.0"}}, true)
	c := s.CreateCollection("app", "items", mustMarshal(bson.D{{Key: "capped", Value: false}}), true, 2)
	if err := c.AddIndex(mustMarshal(bson.D{{Key: "v", Value: int32(2)}, {Key: "key", Value: bson.D{{Key: "sku", Value: 1}}},
		{Key: "name", Value: "sku_1"}, {Key: "unique", Value: true}}), false); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < docs; i++ {
		d := mustMarshal(bson.D{{Key: "_id", Value: int32(i)}, {Key: "sku", Value: fmt.Sprintf("sku-%06d", i)},
			{Key: "payload", Value: bytes.Repeat([]byte{byte(i)}, 200)}, {Key: "at", Value: time.UnixMilli(int64(i))}})
		if err := c.Insert(d, false); err != nil {
			t.Fatal(err)
		}
	}
	s.CreateCollection("legacy", "nouuid", nil, false, 1)
	return s
}

func TestStateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := sampleState(t, 500)
	if err := s.Save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := LoadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastVersion != "4.0.28" || got.FCVDocument().Lookup("version").StringValue() != "4.0" {
		t.Fatalf("header lost: %q %s", got.LastVersion, got.FCVDocument())
	}
	a, b := s.Collection("app", "items"), got.Collection("app", "items")
	if b == nil || b.Count() != 500 || !bytes.Equal(a.UUID, b.UUID) || len(b.Indexes) != 2 || !b.IndexByName("sku_1").Unique {
		t.Fatalf("collection lost: %+v", b)
	}
	for i := range a.Docs() {
		if !bytes.Equal(a.Docs()[i], b.Docs()[i]) {
			t.Fatalf("document %d changed", i)
		}
	}
	if got.Collection("legacy", "nouuid").UUID != nil || len(got.CollectionsWithoutUUID()) != 1 {
		t.Fatal("UUID presence not kept")
	}
	// unique keys are rebuilt on load
	dup := mustMarshal(bson.D{{Key: "_id", Value: int32(9999)}, {Key: "sku", Value: "sku-000007"}})
	var dke *DuplicateKeyError
	if err := b.Insert(dup, false); !errors.As(err, &dke) || dke.Index != "sku_1" {
		t.Fatalf("unique index after load: %v", err)
	}
	if err := b.Insert(mustMarshal(bson.D{{Key: "_id", Value: 7.0}}), true); err == nil || err.Error() != "E11000 duplicate key error collection: app.items index: _id_ dup key: { : 7.0 }" {
		t.Fatalf("_id 7.0 equals 7: %v", err)
	}
}

func TestStateFileDamage(t *testing.T) {
	dir := t.TempDir()
	if err := sampleState(t, 10).Save(dir); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, StateFileName)
	b, _ := os.ReadFile(p)
	if err := os.WriteFile(p, b[:len(b)-7], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadState(dir); err == nil {
		t.Fatal("truncated state file loaded")
	}
	if _, err := LoadState(t.TempDir()); !errors.Is(err, ErrNoState) {
		t.Fatalf("missing state: %v", err)
	}
}

// BenchmarkStateSaveLoad reports save and load throughput for a 20k-document state.
func BenchmarkStateSaveLoad(b *testing.B) {
	fsyncEnabled = false
	defer func() { fsyncEnabled = true }()
	s := sampleState(b, 20000)
	dir := b.TempDir()
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Save(dir); err != nil {
			b.Fatal(err)
		}
		if _, err := LoadState(dir); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	fi, _ := os.Stat(filepath.Join(dir, StateFileName))
	size = fi.Size()
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(size)/(1<<20)/perOp.Seconds(), "MB/s")
	b.Logf("state file %.1f MB, 20000 documents: save+load %s", float64(size)/(1<<20), perOp)
}
