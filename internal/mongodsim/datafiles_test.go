package mongodsim_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/mongostep/mongostep/internal/mdbfiles"
	"github.com/mongostep/mongostep/internal/mongodsim"
	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

// TestDataFilesReadOffline seeds ClearML-like data through the simulator of each major, stops
// it cleanly and reads the WiredTiger files it left with mdbfiles: the namespaces, counts,
// documents (byte for byte, in order), sizeStorer counts and indexes must be the seeded ones.
// Then it inserts more and kills the simulator: the files must still read, as of the
// checkpoint that ended the start-up.
func TestDataFilesReadOffline(t *testing.T) {
	dirs := install(t)
	for i, major := range []string{"3.4", "3.6", "4.0", "4.2", "4.4", "6.0", "7.0", "8.0", "8.2"} {
		t.Run(major, func(t *testing.T) {
			db := newDBPath(t)
			ds := simtest.ClearML(int64(100+i), 1)
			simtest.SeedWithEnv(t, dirs[major], db, ds, safeKernel)
			d := checkFilesDataset(t, db, ds, nil)
			if d.Unclean {
				t.Fatal("a clean stop left mongod.lock non-empty")
			}
			checkFCVDoc(t, d, latestFCV(t, major))
			checkDump(t, db, ds)

			extra := insertExtra(t, mongodOf(dirs, major), db, true)
			d = checkFilesDataset(t, db, ds, nil)
			if !d.Unclean || len(d.Warnings) == 0 {
				t.Fatalf("after kill -9: unclean %v, warnings %v", d.Unclean, d.Warnings)
			}
			if st, _ := d.ScanAll(); st["local.startup_log"].Count != 2 {
				t.Fatalf("startup_log holds %d entries in the files, want 2 (the killed start's is in its start-up checkpoint)", st["local.startup_log"].Count)
			}

			// A clean start and stop brings the inserts made after that checkpoint into the files.
			simtest.Start(t, mongodOf(dirs, major), db, safeKernel).Stop()
			checkFilesDataset(t, db, ds, map[string][]bson.Raw{"backend.task": extra})
		})
	}
}

// TestSetFCVCheckpoints: setFeatureCompatibilityVersion ends with a checkpoint, so a kill -9
// right after it leaves the new FCV document in the files.
func TestSetFCVCheckpoints(t *testing.T) {
	dirs := install(t)
	db := newDBPath(t)
	simtest.Start(t, mongodOf(dirs, "6.0"), db, safeKernel).Stop()
	p := simtest.Start(t, mongodOf(dirs, "7.0"), db, safeKernel)
	c := connect(t, p)
	d, err := mdbfiles.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	checkFCVDoc(t, d, "6.0")
	setFCV(t, c, "7.0", true)
	p.Kill()
	d, err = mdbfiles.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	checkFCVDoc(t, d, "7.0")
	if !d.Unclean || d.WT.Turtle.Major != 11 {
		t.Fatalf("unclean %v, turtle %+v", d.Unclean, d.WT.Turtle)
	}
}

// insertExtra starts bin on db, inserts documents into backend.task and stops it (kill -9
// when kill is set). It returns the inserted documents.
func insertExtra(t *testing.T, bin, db string, kill bool) []bson.Raw {
	t.Helper()
	p := simtest.Start(t, bin, db, safeKernel)
	wc, err := simtest.Dial(p.Addr(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer wc.Close()
	var docs []bson.Raw
	arr := bson.A{}
	for i := 0; i < 25; i++ {
		d, _ := bson.Marshal(bson.D{{Key: "_id", Value: "extra-" + itoa(i)}, {Key: "n", Value: int32(i)}})
		docs, arr = append(docs, d), append(arr, bson.Raw(d))
	}
	if _, err := wc.Run("backend", bson.D{{Key: "insert", Value: "task"}, {Key: "documents", Value: arr}}); err != nil {
		t.Fatalf("insert: %v", err)
	}
	if kill {
		p.Kill()
	} else {
		p.Stop()
	}
	return docs
}

// checkFilesDataset reads db's files and checks every collection of ds (plus extra documents
// appended to some) and the server's own collections.
func checkFilesDataset(t *testing.T, db string, ds simtest.Dataset, extra map[string][]bson.Raw) *mdbfiles.DBPath {
	t.Helper()
	d, err := mdbfiles.Open(db)
	if err != nil {
		t.Fatalf("mdbfiles.Open: %v", err)
	}
	stats, err := d.ScanAll()
	if err != nil {
		t.Fatalf("ScanAll: %v", err)
	}
	want := []string{"admin.system.version", "local.startup_log"}
	for _, c := range ds.Collections {
		want = append(want, c.DB+"."+c.Name)
	}
	sort.Strings(want)
	var got []string
	for ns := range stats {
		got = append(got, ns)
	}
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("namespaces in the files: %v, want %v", got, want)
	}
	for _, c := range ds.Collections {
		ns := c.DB + "." + c.Name
		docs := append(append([]bson.Raw(nil), c.Docs...), extra[ns]...)
		checkCollection(t, d, ns, docs, c.Indexes)
		if stats[ns].Count != int64(len(docs)) {
			t.Fatalf("%s: ScanAll counts %d, want %d", ns, stats[ns].Count, len(docs))
		}
	}
	return d
}

func checkCollection(t *testing.T, d *mdbfiles.DBPath, ns string, docs []bson.Raw, indexes []simtest.Index) {
	t.Helper()
	c, _ := d.Collection(ns)
	it, err := d.Documents(c)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var size int64
	n := 0
	for ; it.Next(); n++ {
		if n >= len(docs) || !bytes.Equal(it.Doc(), docs[n]) {
			t.Fatalf("%s: document %d in the files differs from the seeded one", ns, n)
		}
		size += int64(len(docs[n]))
	}
	if it.Err() != nil || n != len(docs) {
		t.Fatalf("%s: %d documents in the files, want %d (%v)", ns, n, len(docs), it.Err())
	}
	if s := d.SizeStorer[c.Ident]; s.NumRecords != int64(n) || s.DataSize != size {
		t.Fatalf("%s: sizeStorer %+v, want %d records of %d bytes", ns, s, n, size)
	}
	names := map[string]bool{}
	for _, ix := range c.Indexes {
		if _, err := os.Stat(filepath.Join(d.Dir, ix.Ident+".wt")); err != nil || !ix.Ready {
			t.Fatalf("%s index %s: ready %v, file: %v", ns, ix.Name, ix.Ready, err)
		}
		names[ix.Name] = true
	}
	for _, ix := range append(indexes, simtest.Index{Name: "_id_"}) {
		if !names[ix.Name] {
			t.Fatalf("%s: the catalog lacks index %s", ns, ix.Name)
		}
	}
}

func checkFCVDoc(t *testing.T, d *mdbfiles.DBPath, want string) {
	t.Helper()
	c, ok := d.Collection("admin.system.version")
	if !ok {
		t.Fatal("no admin.system.version in the files")
	}
	it, err := d.Documents(c)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	for it.Next() {
		doc := bson.Raw(it.Doc())
		if doc.Lookup("_id").StringValue() == mongodsim.FCVDocumentID {
			if v := doc.Lookup("version").StringValue(); v != want {
				t.Fatalf("FCV document in the files: %s, want version %s", doc, want)
			}
			return
		}
	}
	t.Fatalf("no FCV document in the files (%v)", it.Err())
}

func latestFCV(t *testing.T, major string) string {
	t.Helper()
	r, ok := mongodsim.LookupRelease(major)
	if !ok {
		t.Fatalf("no release %s", major)
	}
	return r.StartupFCVs[len(r.StartupFCVs)-1]
}

// checkDump: mdbfiles.Dump of the dbpath writes every seeded collection's documents.
func checkDump(t *testing.T, db string, ds simtest.Dataset) {
	t.Helper()
	out := t.TempDir()
	res, err := mdbfiles.Dump(db, out, mdbfiles.Filter{})
	if err != nil {
		t.Fatalf("Dump: %v", err)
	}
	if len(res.Collections) != len(ds.Collections)+2 {
		t.Fatalf("Dump wrote %d collections", len(res.Collections))
	}
	for _, c := range ds.Collections {
		b, err := os.ReadFile(filepath.Join(out, c.DB, c.Name+".bson"))
		if err != nil || !bytes.Equal(b, bytes.Join(rawBytes(c.Docs), nil)) {
			t.Fatalf("dumped %s.%s differs from the seeded documents (%v)", c.DB, c.Name, err)
		}
	}
}

func rawBytes(docs []bson.Raw) [][]byte {
	out := make([][]byte, len(docs))
	for i, d := range docs {
		out[i] = d
	}
	return out
}
