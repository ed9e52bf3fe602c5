package mongodsim

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/mongostep/mongostep/internal/mdbfiles"
	"github.com/mongostep/mongostep/internal/wiredtiger"
)

// releaseState builds data the way a fresh server of rel and a client would: the FCV document,
// a startup_log entry, a collection with a unique index and n documents, and an empty one.
func releaseState(t testing.TB, rel Release, n int) *State {
	t.Helper()
	uuids := rel.Major != "3.4"
	s := NewState()
	s.SetFCVDocument(bson.D{{Key: "version", Value: rel.StartupFCVs[len(rel.StartupFCVs)-1]}}, uuids)
	log := s.CreateCollection("local", "startup_log", mustMarshal(bson.D{{Key: "capped", Value: true}, {Key: "size", Value: int32(10485760)}}), uuids, 2)
	if err := log.Insert(mustMarshal(bson.D{{Key: "_id", Value: "host-1"}, {Key: "pid", Value: int64(42)}}), false); err != nil {
		t.Fatal(err)
	}
	c := s.CreateCollection("app", "items", nil, uuids, 2)
	if err := c.AddIndex(mustMarshal(bson.D{{Key: "v", Value: int32(2)}, {Key: "key", Value: bson.D{{Key: "sku", Value: 1}}},
		{Key: "name", Value: "sku_1"}, {Key: "unique", Value: true}}), false); err != nil {
		t.Fatal(err)
	}
	addItems(t, c, 0, n)
	s.CreateCollection("app", "empty", nil, uuids, 2)
	return s
}

func addItems(t testing.TB, c *Collection, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		d := mustMarshal(bson.D{{Key: "_id", Value: int32(i)}, {Key: "sku", Value: fmt.Sprintf("sku-%06d", i)},
			{Key: "payload", Value: bytes.Repeat([]byte{byte(i)}, 50+i%700)}, {Key: "note", Value: "ü ✓ " + strings.Repeat("x", i%90)}})
		if err := c.Insert(d, false); err != nil {
			t.Fatal(err)
		}
	}
}

// checkFiles reads dir with mdbfiles and compares every collection with s, byte for byte.
func checkFiles(t testing.TB, dir string, s *State) *mdbfiles.DBPath {
	t.Helper()
	d, err := mdbfiles.Open(dir)
	if err != nil {
		t.Fatalf("mdbfiles.Open: %v", err)
	}
	colls := s.Collections()
	if len(d.Collections) != len(colls) {
		t.Fatalf("files list %d collections, the state has %d", len(d.Collections), len(colls))
	}
	for i, want := range colls {
		got := d.Collections[i]
		if got.NS != nsOf(want.DB, want.Name) || got.Ident != want.Ident || got.CatalogID != want.CatalogID {
			t.Fatalf("collection %d: %s %s %d, want %s %s %d", i, got.NS, got.Ident, got.CatalogID,
				nsOf(want.DB, want.Name), want.Ident, want.CatalogID)
		}
		if len(got.Indexes) != len(want.Indexes) {
			t.Fatalf("%s: %d indexes in the catalog, want %d", got.NS, len(got.Indexes), len(want.Indexes))
		}
		for j, ix := range got.Indexes {
			if ix.Name != want.Indexes[j].Name || ix.Ident != want.Indexes[j].Ident || !ix.Ready {
				t.Fatalf("%s index %d: %+v", got.NS, j, ix)
			}
		}
		docs := readDocs(t, d, got)
		if len(docs) != want.Count() {
			t.Fatalf("%s: %d documents in the files, %d in the state", got.NS, len(docs), want.Count())
		}
		for j := range docs {
			if !bytes.Equal(docs[j], want.Docs()[j]) {
				t.Fatalf("%s document %d differs", got.NS, j)
			}
		}
		if sz := d.SizeStorer[want.Ident]; sz.NumRecords != int64(want.Count()) || sz.DataSize != want.DataSize() {
			t.Fatalf("%s sizeStorer %+v, want %d/%d", got.NS, sz, want.Count(), want.DataSize())
		}
	}
	return d
}

func readDocs(t testing.TB, d *mdbfiles.DBPath, c mdbfiles.Collection) [][]byte {
	t.Helper()
	it, err := d.Documents(c)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var out [][]byte
	for want := int64(1); it.Next(); want++ {
		if id, ok := it.RecordID(); !ok || id != want {
			t.Fatalf("%s: RecordId %d, want %d", c.NS, id, want)
		}
		out = append(out, append([]byte(nil), it.Doc()...))
	}
	if err := it.Err(); err != nil {
		t.Fatalf("read %s: %v", c.NS, err)
	}
	return out
}

func TestCheckpointEveryRelease(t *testing.T) {
	for _, rel := range Releases() {
		t.Run(rel.Major, func(t *testing.T) {
			dir := t.TempDir()
			s := releaseState(t, rel, 300)
			if err := newCheckpointer(dir, rel).checkpoint(s, 1, time.Unix(1700000000, 0)); err != nil {
				t.Fatal(err)
			}
			d := checkFiles(t, dir, s)
			if d.WT.Turtle.Major != rel.WT.Major || d.WT.Turtle.Minor != rel.WT.Minor || d.Unclean {
				t.Fatalf("turtle %+v unclean %v", d.WT.Turtle, d.Unclean)
			}
			checkCatalogShape(t, d, rel)
			checkEra(t, d, rel)
		})
	}
}

// checkCatalogShape checks what differs between majors in the catalog entries.
func checkCatalogShape(t *testing.T, d *mdbfiles.DBPath, rel Release) {
	c, ok := d.Collection("app.items")
	if !ok {
		t.Fatal("app.items missing")
	}
	_, hasNS := c.Indexes[1].Spec.Lookup("ns").StringValueOK()
	_, hasPrefix := c.Entry.Lookup("md", "prefix").Int64OK()
	if hasNS != !majorAtLeast(rel.Major, "4.4") || hasPrefix != (majorAtLeast(rel.Major, "3.6") && !majorAtLeast(rel.Major, "5.0")) {
		t.Fatalf("%s entry: spec ns %v, md.prefix %v: %s", rel.Major, hasNS, hasPrefix, c.Entry)
	}
	if (c.UUID != "") != (rel.Major != "3.4") {
		t.Fatalf("%s: uuid %q", rel.Major, c.UUID)
	}
	identRE := `^collection-\d+--?\d+$`
	if majorAtLeast(rel.Major, "8.2") {
		identRE = `^collection-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`
	}
	if !regexp.MustCompile(identRE).MatchString(c.Ident) {
		t.Fatalf("%s ident %q does not match %s", rel.Major, c.Ident, identRE)
	}
}

// checkEra checks a few configuration details of each WiredTiger era against real files.
func checkEra(t *testing.T, d *mdbfiles.DBPath, rel Release) {
	c, _ := d.Collection("app.items")
	coll, _ := d.WT.Config("file:" + c.Ident + ".wt")
	index, _ := d.WT.Config("file:" + c.Indexes[1].Ident + ".wt")
	want := []string{"block_compressor=snappy", "key_format=q", "value_format=u", "leaf_value_max=64MB"}
	switch {
	case rel.WT.Major >= 10:
		want = append(want, "checkpoint_backup_info=", "run_write_gen=")
	case rel.WT.Major == 3 && rel.WT.Minor >= 2:
		want = append(want, "oldest_start_txn=0")
	default:
		want = append(want, "cache_resident=false,checkpoint=(WiredTigerCheckpoint.")
	}
	for _, w := range want {
		if !strings.Contains(coll, w) {
			t.Errorf("%s collection config lacks %q:\n%s", rel.Major, w, coll)
		}
	}
	infoObj := strings.Contains(index, `infoObj={ "v" : 2, "key" : { "sku" : 1 }, "name" : "sku_1", "ns" : "app.items", "unique" : true }`)
	if infoObj != !majorAtLeast(rel.Major, "4.2") || !strings.Contains(index, "key_format=u") {
		t.Errorf("%s index config:\n%s", rel.Major, index)
	}
	hist := "file:WiredTigerLAS.wt"
	if rel.WT.Major >= 10 {
		hist = "file:WiredTigerHS.wt"
	}
	if _, ok := d.WT.Config(hist); !ok {
		t.Errorf("%s: no %s in %v", rel.Major, hist, d.WT.URIs())
	}
}

func TestFeatureDocumentAndCatalogIDs(t *testing.T) {
	for _, tc := range []struct {
		major   string
		feature int64
		ids     map[string]int64
	}{
		// As in real dbpaths: 3.6.5/4.2.3 (feature doc 2), 4.4.5/5.0.2 (1), 6.0.3+ (none).
		{"3.6", 2, map[string]int64{"admin.system.version": 1, "local.startup_log": 3, "app.items": 4}},
		{"4.4", 1, map[string]int64{"admin.system.version": 2, "local.startup_log": 3, "app.items": 4}},
		{"8.0", 0, map[string]int64{"admin.system.version": 1, "local.startup_log": 2, "app.items": 3}},
	} {
		rel, _ := LookupRelease(tc.major)
		s := releaseState(t, rel, 3)
		if !assignPlacement(s, rel, newIdentSource(rel)) || s.featureDocID != tc.feature {
			t.Fatalf("%s: feature document at %d, want %d", tc.major, s.featureDocID, tc.feature)
		}
		for ns, id := range tc.ids {
			db, coll, _ := strings.Cut(ns, ".")
			if got := s.Collection(db, coll).CatalogID; got != id {
				t.Fatalf("%s: %s at catalog RecordId %d, want %d", tc.major, ns, got, id)
			}
		}
		if assignPlacement(s, rel, newIdentSource(rel)) {
			t.Fatalf("%s: a second placement changed the state", tc.major)
		}
	}
}

// TestCheckpointKilledBeforeSwitch abandons checkpoints after their blocks are written: the
// files must still read as the previous checkpoint, whatever the new one changed.
func TestCheckpointKilledBeforeSwitch(t *testing.T) {
	for _, major := range []string{"4.0", "6.0"} {
		rel, _ := LookupRelease(major)
		dir := t.TempDir()
		s := releaseState(t, rel, 200)
		ck := newCheckpointer(dir, rel)
		if err := ck.checkpoint(s, 1, time.Now()); err != nil {
			t.Fatal(err)
		}
		snapshot := cloneState(t, s)
		for round := 0; round < 4; round++ {
			mutate(t, s, round)
			killed := errors.New("killed")
			ck.beforeSwitch = func() error { return killed }
			if err := ck.checkpoint(s, 1, time.Now()); !errors.Is(err, killed) {
				t.Fatalf("%s round %d: %v", major, round, err)
			}
			checkFiles(t, dir, snapshot)
			ck.beforeSwitch = nil
			if round%2 == 1 { // a new process that knows nothing of the files
				ck = newCheckpointer(dir, rel)
			}
			if err := ck.checkpoint(s, 1, time.Now()); err != nil {
				t.Fatal(err)
			}
			checkFiles(t, dir, s)
			snapshot = cloneState(t, s)
		}
	}
}

// mutate changes the data in a different way each round.
func mutate(t *testing.T, s *State, round int) {
	t.Helper()
	items := s.Collection("app", "items")
	switch round {
	case 0:
		addItems(t, items, 10000, 500)
	case 1:
		s.DropCollection("app", "empty")
		addItems(t, s.CreateCollection("app", "new", nil, true, 2), 0, 40)
	case 2:
		s.SetFCVDocument(bson.D{{Key: "version", Value: "x"}, {Key: "targetVersion", Value: "y"}}, true)
		s.SetAuthSchemaVersion(5, true)
		items.replaceOrAppend(mustMarshal(bson.D{{Key: "_id", Value: int32(5)}, {Key: "sku", Value: "changed in place"}}))
	default:
		s.DropCollection("app", "items")
		s.RemoveFCVDocument() // the authSchema document moves to RecordId 1
	}
}

// cloneState is a deep copy of s through its state file (the copy keeps the placement).
func cloneState(t *testing.T, s *State) *State {
	t.Helper()
	tmp := t.TempDir()
	if err := s.Save(tmp); err != nil {
		t.Fatal(err)
	}
	c, err := LoadState(tmp)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCheckpointReusesSpaceAndSkipsCleanTables(t *testing.T) {
	rel, _ := LookupRelease("8.0")
	dir := t.TempDir()
	s := releaseState(t, rel, 2000)
	ck := newCheckpointer(dir, rel)
	items := s.Collection("app", "items")
	var sizes []int64
	for i := 0; i < 6; i++ {
		if i > 0 {
			addItems(t, items, 100000+i*10, 10)
		}
		if err := ck.checkpoint(s, 1, time.Now()); err != nil {
			t.Fatal(err)
		}
		checkFiles(t, dir, s)
		fi, err := os.Stat(filepath.Join(dir, items.Ident+".wt"))
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, fi.Size())
	}
	live := ck.files[items.Ident+".wt"]
	if last := sizes[len(sizes)-1]; last != live.end || last > 2*(live.end-live.start)+3*wtAllocSize {
		t.Fatalf("file sizes %v: the freed space is not reused (live blocks %d-%d)", sizes, live.start, live.end)
	}

	log := s.Collection("local", "startup_log")
	before, _ := os.Stat(filepath.Join(dir, log.Ident+".wt"))
	cfgBefore := fileEntry(t, dir, log.Ident)
	if err := ck.checkpoint(s, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(filepath.Join(dir, log.Ident+".wt"))
	if !after.ModTime().Equal(before.ModTime()) || fileEntry(t, dir, log.Ident) != cfgBefore {
		t.Fatal("an unchanged collection was rewritten")
	}
}

func fileEntry(t *testing.T, dir, ident string) string {
	t.Helper()
	db, err := wiredtiger.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, ok := db.Config("file:" + ident + ".wt")
	if !ok {
		t.Fatalf("no metadata for %s", ident)
	}
	return cfg
}

func TestCheckpointRemovesDroppedTables(t *testing.T) {
	rel, _ := LookupRelease("4.2")
	dir := t.TempDir()
	s := releaseState(t, rel, 10)
	ck := newCheckpointer(dir, rel)
	if err := ck.checkpoint(s, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	items := s.Collection("app", "items")
	gone := []string{items.Ident + ".wt", items.Indexes[0].Ident + ".wt", items.Indexes[1].Ident + ".wt"}
	s.DropCollection("app", "items")
	if err := newCheckpointer(dir, rel).checkpoint(s, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, f := range gone {
		if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s of a dropped collection is still there: %v", f, err)
		}
	}
	checkFiles(t, dir, s)
}

// BenchmarkCheckpoint prints the cost of a full checkpoint (a new process: every table is
// written) of a collection of about 3 MB.
func BenchmarkCheckpoint(b *testing.B) {
	rel, _ := LookupRelease("8.0")
	s := releaseState(b, rel, 8000)
	dir := b.TempDir()
	fsyncEnabled = false
	defer func() { fsyncEnabled = true }()
	b.SetBytes(s.Collection("app", "items").DataSize())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := newCheckpointer(dir, rel).checkpoint(s, 1, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCheckpointFillsEmptyTable: a table checkpointed empty (a file of one description block)
// that gets documents is written correctly by a later process that knows nothing of it.
func TestCheckpointFillsEmptyTable(t *testing.T) {
	rel, _ := LookupRelease("5.0")
	dir := t.TempDir()
	s := releaseState(t, rel, 5)
	if err := newCheckpointer(dir, rel).checkpoint(s, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	empty := s.Collection("app", "empty")
	if fi, err := os.Stat(filepath.Join(dir, empty.Ident+".wt")); err != nil || fi.Size() != wtAllocSize {
		t.Fatalf("empty collection file: %v %v", fi, err)
	}
	addItems(t, empty, 0, 50)
	if err := newCheckpointer(dir, rel).checkpoint(s, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	checkFiles(t, dir, s)
}

// TestPlacementKeptAcrossProcesses: idents, catalog RecordIds, entry layouts and the feature
// document survive the state file, so a later process writes to the same files.
func TestPlacementKeptAcrossProcesses(t *testing.T) {
	rel, _ := LookupRelease("4.2")
	dir := t.TempDir()
	s := releaseState(t, rel, 3)
	if !assignPlacement(s, rel, newIdentSource(rel)) {
		t.Fatal("nothing placed")
	}
	if err := s.Save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := LoadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	later, _ := LookupRelease("6.0")
	if assignPlacement(got, later, newIdentSource(later)) {
		t.Fatal("a later process re-placed collections that were placed already")
	}
	if got.featureDocID != s.featureDocID || got.featureDocID == 0 {
		t.Fatalf("feature document %d, want %d", got.featureDocID, s.featureDocID)
	}
	for _, c := range s.Collections() {
		g := got.Collection(c.DB, c.Name)
		if g.Ident != c.Ident || g.CatalogID != c.CatalogID || g.CatalogMajor != "4.2" {
			t.Fatalf("%s: %s/%d/%s, want %s/%d/4.2", c.Name, g.Ident, g.CatalogID, g.CatalogMajor, c.Ident, c.CatalogID)
		}
		for i, ix := range c.Indexes {
			if g.Indexes[i].Ident != ix.Ident || ix.Ident == "" {
				t.Fatalf("%s index %s: ident %q, want %q", c.Name, ix.Name, g.Indexes[i].Ident, ix.Ident)
			}
		}
	}
	// A new index rewrites the entry: the next checkpoint gives it the later layout.
	items := got.Collection("app", "items")
	if err := items.AddIndex(mustMarshal(bson.D{{Key: "v", Value: int32(2)}, {Key: "key", Value: bson.D{{Key: "note", Value: 1}}},
		{Key: "name", Value: "note_1"}}), false); err != nil {
		t.Fatal(err)
	}
	if !assignPlacement(got, later, newIdentSource(later)) || items.CatalogMajor != "6.0" || items.Indexes[2].Ident == "" {
		t.Fatalf("after createIndexes: layout %s, new index ident %q", items.CatalogMajor, items.Indexes[2].Ident)
	}
}
