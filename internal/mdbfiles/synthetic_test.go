package mdbfiles

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// synthColl is a collection of a generated dbpath.
type synthColl struct {
	ns, ident string
	spec      wttest.Spec
	docs      [][]byte // live documents, in RecordId order
	removed   int      // extra removed records interleaved
	uuid      []byte
	options   bson.D
}

func mustBSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := bson.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func makeDocs(t testing.TB, n, bigEvery int) [][]byte {
	var docs [][]byte
	for i := 0; i < n; i++ {
		text := strings.Repeat(fmt.Sprintf("word%d ", i%13), 3+i%20)
		if bigEvery > 0 && i%bigEvery == 0 {
			text = strings.Repeat("large document body ", 2000) // ~40 KB: an overflow item
		}
		docs = append(docs, mustBSON(t, bson.D{{Key: "_id", Value: primitive.NewObjectIDFromTimestamp(fixedTime(i))},
			{Key: "n", Value: int32(i)}, {Key: "text", Value: text}}))
	}
	return docs
}

// writeDBPath writes a MongoDB-shaped dbpath: catalog, sizeStorer and the
// collections, optionally with a feature document and an unclean lock file.
func writeDBPath(t *testing.T, dir string, colls []synthColl, lock string) {
	t.Helper()
	var files []wttest.File
	var catalog, sizes []wttest.KV
	catalog = append(catalog, wttest.KV{Key: wttest.PackInt(nil, 1),
		Value: mustBSON(t, bson.D{{Key: "isFeatureDoc", Value: true}, {Key: "ns", Value: nil}})})
	for i, c := range colls {
		var kvs []wttest.KV
		id := int64(0)
		for j, doc := range c.docs {
			if c.removed > 0 && j%3 == 0 && j/3 < c.removed {
				id++
				kvs = append(kvs, wttest.KV{Key: wttest.PackInt(nil, id), Value: doc,
					TW: &wttest.TW{StartTxn: 10, Stop: true, StopTxn: 20}})
			}
			id++
			kvs = append(kvs, wttest.KV{Key: wttest.PackInt(nil, id), Value: doc, TW: &wttest.TW{StartTxn: 5}})
		}
		files = append(files, wttest.File{Name: c.ident + ".wt", Spec: c.spec, KVs: kvs})
		opts := c.options
		if c.uuid != nil {
			opts = append(bson.D{{Key: "uuid", Value: primitive.Binary{Subtype: 4, Data: c.uuid}}}, opts...)
		}
		if opts == nil {
			opts = bson.D{}
		}
		entry := bson.D{
			{Key: "md", Value: bson.D{{Key: "ns", Value: c.ns}, {Key: "options", Value: opts},
				{Key: "indexes", Value: bson.A{
					bson.D{{Key: "spec", Value: bson.D{{Key: "v", Value: int32(2)}, {Key: "key", Value: bson.D{{Key: "_id", Value: int32(1)}}}, {Key: "name", Value: "_id_"}}},
						{Key: "ready", Value: true}, {Key: "multikey", Value: false}},
					bson.D{{Key: "spec", Value: bson.D{{Key: "v", Value: int32(2)}, {Key: "key", Value: bson.D{{Key: "n", Value: int32(-1)}}}, {Key: "name", Value: "building"}}},
						{Key: "ready", Value: false}},
				}}}},
			{Key: "idxIdent", Value: bson.D{{Key: "_id_", Value: "index-" + c.ident}}},
			{Key: "ns", Value: c.ns}, {Key: "ident", Value: c.ident},
		}
		catalog = append(catalog, wttest.KV{Key: wttest.PackInt(nil, int64(i+2)), Value: mustBSON(t, entry)})
		var size int64
		for _, d := range c.docs {
			size += int64(len(d))
		}
		sizes = append(sizes, wttest.KV{Key: []byte("table:" + c.ident),
			Value: mustBSON(t, bson.D{{Key: "numRecords", Value: int64(len(c.docs))}, {Key: "dataSize", Value: size}})})
	}
	sortKVs(sizes)
	files = append(files,
		wttest.File{Name: "_mdb_catalog.wt", Spec: wttest.Spec{Compressor: "snappy", LeafPageMax: 300, InternalFanout: 2}, KVs: catalog},
		wttest.File{Name: "sizeStorer.wt", Spec: wttest.Spec{KeyFormat: "u", Prefix: true}, KVs: sizes})
	if err := wttest.WriteHome(dir, wttest.HomeSpec{Metadata: wttest.Spec{Compressor: "zlib", Prefix: true, LeafPageMax: 500}}, files); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mongod.lock"), []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sortKVs(kvs []wttest.KV) {
	for i := 1; i < len(kvs); i++ {
		for j := i; j > 0 && bytes.Compare(kvs[j-1].Key, kvs[j].Key) > 0; j-- {
			kvs[j-1], kvs[j] = kvs[j], kvs[j-1]
		}
	}
}

func synthColls(t *testing.T) []synthColl {
	uuid := bytes.Repeat([]byte{0xab}, 16)
	return []synthColl{
		{ns: "app.users", ident: "collection-2-42", spec: wttest.Spec{Compressor: "zstd", LeafPageMax: 2000, InternalFanout: 3, OverflowOver: 20000},
			docs: makeDocs(t, 700, 97), removed: 40, uuid: uuid},
		{ns: "app.events", ident: "collection-7d9f5c2e-0b1a-4c3d-9e8f-112233445566", spec: wttest.Spec{Compressor: "zlib", LeafPageMax: 4000},
			docs: makeDocs(t, 300, 0), options: bson.D{{Key: "capped", Value: true}, {Key: "size", Value: int64(1 << 20)}}},
		{ns: "other.plain", ident: "other/collection-1-42", spec: wttest.Spec{LeafPageMax: 1000, InternalFanout: 2},
			docs: makeDocs(t, 120, 0)},
		{ns: "other.empty", ident: "collection-9-42", spec: wttest.Spec{Compressor: "snappy"}},
		{ns: "other.a/b c?" + strings.Repeat("x", 250), ident: "collection-11-42", spec: wttest.Spec{Compressor: "snappy"}, docs: makeDocs(t, 3, 0)},
	}
}

func TestSyntheticDBPath(t *testing.T) {
	dir := t.TempDir()
	colls := synthColls(t)
	writeDBPath(t, dir, colls, "12345\n")
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Unclean || d.MongodLock != "12345" || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "journal") {
		t.Errorf("unclean=%v lock=%q warnings=%q", d.Unclean, d.MongodLock, d.Warnings)
	}
	if got := strings.Join(d.Databases(), ","); got != "app,other" {
		t.Errorf("databases %q", got)
	}
	for _, want := range colls {
		c, ok := d.Collection(want.ns)
		if !ok || c.Ident != want.ident {
			t.Fatalf("%s: found %v, ident %q", want.ns, ok, c.Ident)
		}
		if (want.uuid != nil) != (c.UUID == strings.Repeat("ab", 16)) {
			t.Errorf("%s: uuid %q", want.ns, c.UUID)
		}
		if len(c.Indexes) != 2 || c.Indexes[0].Ident != "index-"+want.ident || c.Indexes[1].Ready {
			t.Errorf("%s: indexes %+v", want.ns, c.Indexes)
		}
		if _, err := c.Options.LookupErr("uuid"); err == nil {
			t.Errorf("%s: options still hold the uuid", want.ns)
		}
		var h DocHash
		it, err := d.Documents(c)
		if err != nil {
			t.Fatal(err)
		}
		var i int
		for it.Next() {
			if i >= len(want.docs) || !bytes.Equal(it.Doc(), want.docs[i]) {
				t.Fatalf("%s: document %d differs", want.ns, i)
			}
			h.Add(it.Doc())
			i++
		}
		if it.Err() != nil || i != len(want.docs) || it.Stats().Removed != int64(want.removed) {
			t.Errorf("%s: %d docs, %d removed, err %v; want %d, %d", want.ns, i, it.Stats().Removed, it.Err(), len(want.docs), want.removed)
		}
		it.Close()
		st, err := d.Scan(c)
		if err != nil || st.Count != int64(len(want.docs)) || st.Hash != h.Sum() || d.SizeStorer[c.Ident].NumRecords != st.Count {
			t.Errorf("%s: scan %+v, %v; sizeStorer %+v", want.ns, st, err, d.SizeStorer[c.Ident])
		}
	}
}

func TestSyntheticDump(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	colls := synthColls(t)
	writeDBPath(t, dir, colls, "")
	res, err := Dump(dir, out, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unclean || len(res.Collections) != len(colls) {
		t.Fatalf("result %+v", res)
	}
	for _, c := range colls {
		db, name, _ := strings.Cut(c.ns, ".")
		base := filepath.Join(out, db, dumpFileName(name))
		got, err := os.ReadFile(base + ".bson")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, bytes.Join(c.docs, nil)) {
			t.Errorf("%s: .bson differs from the documents written", c.ns)
		}
		checkMetadataFile(t, base+".metadata.json", name)
		meta, _ := os.ReadFile(base + ".metadata.json")
		if bytes.Contains(meta, []byte("building")) {
			t.Errorf("%s: unfinished index in metadata: %s", c.ns, meta)
		}
		if c.options != nil && !bytes.HasPrefix(meta, []byte(`{"options":{"capped":true,"size":{"$numberLong":"1048576"}},`)) {
			t.Errorf("%s: metadata %s", c.ns, meta)
		}
	}
	res, err = Dump(dir, out, Filter{DB: "other", Collection: "plain"})
	if err != nil || len(res.Collections) != 1 || res.Collections[0].NS != "other.plain" || res.Collections[0].Documents != 120 {
		t.Errorf("filtered dump: %+v, %v", res, err)
	}
	if _, err := Dump(dir, out, Filter{DB: "nope"}); !errors.Is(err, ErrNoMatch) {
		t.Errorf("filter matching nothing: %v", err)
	}
}

func TestDumpStaysInsideOut(t *testing.T) {
	dir, parent := t.TempDir(), t.TempDir()
	out := filepath.Join(parent, "out")
	writeDBPath(t, dir, []synthColl{
		{ns: "../evil.x", ident: "collection-1-1", docs: makeDocs(t, 1, 0)},
		{ns: "app...", ident: "collection-2-1", docs: makeDocs(t, 1, 0)},
	}, "")
	res, err := Dump(dir, out, Filter{})
	if err == nil || !strings.Contains(err.Error(), "not a valid directory name") {
		t.Errorf("hostile database name: %v", err)
	}
	if len(res.Collections) != 2 || res.Collections[1].Err != nil {
		t.Fatalf("results %+v", res.Collections)
	}
	if _, err := os.Stat(filepath.Join(out, "app", "...bson")); err != nil {
		t.Errorf("collection named %q: %v", "..", err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("files written outside the output directory: %v", entries)
	}
}

func TestDumpFileName(t *testing.T) {
	if got := dumpFileName("a/b c?"); got != "a%2Fb+c%3F" {
		t.Errorf("escaped name %q", got)
	}
	long := strings.Repeat("y", 300)
	got := dumpFileName(long)
	if len(got) != 208+3+27 || !strings.HasPrefix(got, strings.Repeat("y", 208)+"%24") {
		t.Errorf("long name %q (%d bytes)", got, len(got))
	}
	if dumpFileName(long+"z") == got {
		t.Error("different long names map to one file")
	}
}

func TestDumpRejectsInvalidBSON(t *testing.T) {
	dir := t.TempDir()
	// A string field whose length runs past the document: passes the cheap
	// length/terminator check, fails full validation.
	bad := []byte{13, 0, 0, 0, 0x02, 'a', 0, 0xff, 0xff, 0, 0, 'x', 0}
	good := makeDocs(t, 5, 0)
	writeDBPath(t, dir, []synthColl{{ns: "x.bad", ident: "collection-1-1", docs: [][]byte{bad}},
		{ns: "x.good", ident: "collection-2-1", docs: good}}, "")
	out := t.TempDir()
	res, err := Dump(dir, out, Filter{})
	if err == nil || !strings.Contains(err.Error(), "x.bad") || !strings.Contains(err.Error(), "RecordId 1") ||
		!strings.Contains(err.Error(), "1 of 2") {
		t.Errorf("invalid BSON: %v", err)
	}
	if len(res.Collections) != 2 || res.Collections[0].Err == nil || res.Collections[1].Err != nil {
		t.Fatalf("per-collection results: %+v", res.Collections)
	}
	if _, err := os.Stat(filepath.Join(out, "x", "bad.bson")); !os.IsNotExist(err) {
		t.Errorf("a partial .bson was left for the failed collection: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "x", "good.bson")); !bytes.Equal(b, bytes.Join(good, nil)) {
		t.Error("the healthy collection was not dumped")
	}
	if left, _ := filepath.Glob(filepath.Join(out, "x", ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// Not even the length prefix matches: the iterator refuses it.
	dir = t.TempDir()
	writeDBPath(t, dir, []synthColl{{ns: "x.worse", ident: "collection-1-1", docs: [][]byte{[]byte("not bson at all")}}}, "")
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Scan(d.Collections[0]); err == nil || !strings.Contains(err.Error(), "not a BSON document") {
		t.Errorf("garbage document: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(t.TempDir()); err == nil || !strings.Contains(err.Error(), "WiredTiger.turtle") {
		t.Errorf("empty directory: %v", err)
	}
	dir := t.TempDir()
	writeDBPath(t, dir, synthColls(t)[:1], "")
	if err := os.Remove(filepath.Join(dir, "_mdb_catalog.wt")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "catalog") {
		t.Errorf("missing catalog: %v", err)
	}
}
