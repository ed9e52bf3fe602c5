package simtest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

func TestMain(m *testing.M) { os.Exit(simtest.RunMain(m)) }

func TestClearMLDeterministicAndVaried(t *testing.T) {
	a, b, c := simtest.ClearML(1, 1), simtest.ClearML(1, 1), simtest.ClearML(2, 1)
	if a.DocCount() < 200 || a.DocCount() > 1000 {
		t.Fatalf("scale 1 has %d documents, want a few hundred", a.DocCount())
	}
	same, differs := true, false
	for i, coll := range a.Collections {
		for j, d := range coll.Docs {
			same = same && bytes.Equal(d, b.Collections[i].Docs[j])
			if j < len(c.Collections[i].Docs) && !bytes.Equal(d, c.Collections[i].Docs[j]) {
				differs = true
			}
		}
	}
	if !same || !differs {
		t.Fatalf("same seed equal: %v, other seed differs: %v", same, differs)
	}
	if big := simtest.ClearML(1, 3); big.DocCount() < 3*a.DocCount()-50 {
		t.Fatalf("scale 3 has %d documents vs %d at scale 1", big.DocCount(), a.DocCount())
	}
	types := map[bsontype.Type]bool{}
	unicode, uniqueIdx, compoundIdx := false, false, false
	var walk func(bson.Raw)
	walk = func(d bson.Raw) {
		elems, _ := d.Elements()
		for _, e := range elems {
			v := e.Value()
			types[v.Type] = true
			if s, ok := v.StringValueOK(); ok && utf8.RuneCountInString(s) != len(s) {
				unicode = true
			}
			if sub, ok := v.DocumentOK(); ok {
				walk(sub)
			}
			if arr, ok := v.ArrayOK(); ok {
				walk(bson.Raw(arr))
			}
		}
	}
	dbs := map[string]bool{}
	for _, coll := range a.Collections {
		dbs[coll.DB] = true
		for _, d := range coll.Docs {
			if _, err := d.LookupErr("_id"); err != nil {
				t.Fatalf("%s.%s document without _id", coll.DB, coll.Name)
			}
			walk(d)
		}
		for _, ix := range coll.Indexes {
			uniqueIdx = uniqueIdx || ix.Unique
			compoundIdx = compoundIdx || len(ix.Keys) > 1
		}
	}
	for _, ty := range []bsontype.Type{bsontype.ObjectID, bsontype.DateTime, bsontype.EmbeddedDocument, bsontype.Array, bsontype.Binary,
		bsontype.Int32, bsontype.Int64, bsontype.Decimal128, bsontype.Double, bsontype.Null, bsontype.Boolean, bsontype.String, bsontype.Timestamp} {
		if !types[ty] {
			t.Errorf("dataset has no %s value", ty)
		}
	}
	if !unicode || !uniqueIdx || !compoundIdx || !dbs["backend"] || !dbs["auth"] {
		t.Fatalf("unicode %v unique %v compound %v dbs %v", unicode, uniqueIdx, compoundIdx, dbs)
	}
}

func TestInstallSeedCheck(t *testing.T) {
	dirs := simtest.InstallVersions(t, t.TempDir(), "3.4.24", "6.0.26")
	v, err := os.ReadFile(filepath.Join(dirs["6.0"], "mongodsim.version"))
	if err != nil || string(v) != "6.0.26\n" {
		t.Fatalf("version file %q %v", v, err)
	}
	ds := simtest.ClearML(5, 1)
	for _, major := range []string{"3.4", "6.0"} {
		db := t.TempDir()
		simtest.Seed(t, dirs[major], db, ds)
		p := simtest.Start(t, filepath.Join(dirs[major], "mongod"), db)
		simtest.CheckDataset(t, p.Addr(), ds)
		wc, err := simtest.Dial(p.Addr(), 0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := simtest.FindAll(wc, "backend", "task")
		if err != nil || len(got) != 250 {
			t.Fatalf("%s FindAll: %d %v", major, len(got), err)
		}
		if _, err := wc.Run("backend", bson.D{{Key: "insert", Value: "project"}, {Key: "documents", Value: bson.A{ds.Collections[2].Docs[0]}}}); err != nil {
			t.Fatal(err)
		}
		r, _ := wc.Run("backend", bson.D{{Key: "count", Value: "project"}})
		if r.Lookup("n").Int32() != int32(len(ds.Collections[2].Docs)) {
			t.Fatalf("%s: a duplicate insert changed the count: %s", major, r)
		}
		_ = wc.Close()
		p.Stop()
	}
}
