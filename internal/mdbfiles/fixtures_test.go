package mdbfiles

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/mongostep/mongostep/internal/fixtures"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
)

var fixturesDir = fixtures.Dir()

type truthSize struct {
	NumRecords int64 `json:"numRecords"`
	DataSize   int64 `json:"dataSize"`
}

type truthCollection struct {
	NS         string     `json:"ns"`
	Ident      string     `json:"ident"`
	Live       int64      `json:"live_records"`
	SHA256     string     `json:"sha256_bson_concat"`
	SizeStorer *truthSize `json:"sizeStorer"`
}

type truthDir struct {
	Dir         string               `json:"dir"`
	MongodLock  string               `json:"mongod_lock"`
	Clean       bool                 `json:"clean_shutdown"`
	SizeStorer  map[string]truthSize `json:"sizeStorer"`
	Collections []truthCollection    `json:"collections"`
}

func loadTruth(t *testing.T) []truthDir {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir, "ground-truth.json"))
	if err != nil {
		t.Fatalf("%s: %v", fixtures.Missing, err)
	}
	var dirs []truthDir
	if err := json.Unmarshal(b, &dirs); err != nil {
		t.Fatalf("ground-truth.json: %v", err)
	}
	if len(dirs) < 9 {
		t.Fatalf("ground-truth.json lists %d dbpaths, want at least 9", len(dirs))
	}
	return dirs
}

func fixturePath(dir string) string { return filepath.Join(fixturesDir, "dbpaths", dir) }

func TestFixturesCatalogSizeStorerAndLock(t *testing.T) {
	for _, d := range loadTruth(t) {
		t.Run(d.Dir, func(t *testing.T) {
			db, err := Open(fixturePath(d.Dir))
			if err != nil {
				t.Fatal(err)
			}
			if db.Unclean == d.Clean || db.MongodLock != strings.TrimSpace(d.MongodLock) {
				t.Errorf("unclean=%v lock=%q; ground truth clean=%v lock=%q", db.Unclean, db.MongodLock, d.Clean, d.MongodLock)
			}
			if db.Unclean != (len(db.Warnings) > 0 && strings.Contains(db.Warnings[0], "journal")) {
				t.Errorf("warnings %q for unclean=%v", db.Warnings, db.Unclean)
			}
			if len(db.Collections) != len(d.Collections) {
				t.Errorf("%d collections in the catalog, ground truth %d", len(db.Collections), len(d.Collections))
			}
			for _, want := range d.Collections {
				c, ok := db.Collection(want.NS)
				if !ok || c.Ident != want.Ident {
					t.Errorf("%s: found=%v ident %q, ground truth %q", want.NS, ok, c.Ident, want.Ident)
					continue
				}
				if len(c.Indexes) == 0 || c.Indexes[0].Name != "_id_" || !c.Indexes[0].Ready || c.Indexes[0].Ident == "" {
					t.Errorf("%s: indexes %+v", want.NS, c.Indexes)
				}
			}
			all, err := db.ScanAll()
			if err != nil || len(all) != len(d.Collections) {
				t.Errorf("ScanAll: %d collections, %v", len(all), err)
			}
			for _, want := range d.Collections {
				if all[want.NS].Count != want.Live {
					t.Errorf("ScanAll %s: %d documents, ground truth %d", want.NS, all[want.NS].Count, want.Live)
				}
			}
			if len(db.SizeStorer) != len(d.SizeStorer) {
				t.Errorf("%d sizeStorer entries, ground truth %d", len(db.SizeStorer), len(d.SizeStorer))
			}
			for key, want := range d.SizeStorer {
				got, ok := db.SizeStorer[strings.TrimPrefix(key, "table:")]
				if !ok || got.NumRecords != want.NumRecords || got.DataSize != want.DataSize {
					t.Errorf("sizeStorer %s = %+v (found %v), ground truth %+v", key, got, ok, want)
				}
			}
		})
	}
}

func TestFixturesDocumentsMatchGroundTruth(t *testing.T) {
	for _, d := range loadTruth(t) {
		db, err := Open(fixturePath(d.Dir))
		if err != nil {
			t.Fatalf("%s: %v", d.Dir, err)
		}
		for _, want := range d.Collections {
			c, _ := db.Collection(want.NS)
			var concat bytes.Buffer
			it, err := db.Documents(c)
			if err != nil {
				t.Fatalf("%s %s: %v", d.Dir, want.NS, err)
			}
			for it.Next() {
				concat.Write(it.Doc())
			}
			if err := it.Err(); err != nil {
				t.Errorf("%s %s: %v", d.Dir, want.NS, err)
			}
			it.Close()
			sum := sha256.Sum256(concat.Bytes())
			if hex.EncodeToString(sum[:]) != want.SHA256 {
				t.Errorf("%s %s: sha256 %x, ground truth %s", d.Dir, want.NS, sum, want.SHA256)
			}
			truthBytes, err := os.ReadFile(filepath.Join(fixturesDir, "ground-truth", d.Dir, want.Ident+".bson"))
			if err != nil {
				t.Fatalf("ground truth bytes: %v", err)
			}
			if !bytes.Equal(truthBytes, concat.Bytes()) {
				t.Errorf("%s %s: documents differ from ground-truth/%s.bson", d.Dir, want.NS, want.Ident)
			}
			st, err := db.Scan(c)
			if err != nil || st.Count != want.Live || st.DataSize != int64(len(truthBytes)) {
				t.Errorf("%s %s: scan %+v, %v; ground truth %d docs, %d bytes", d.Dir, want.NS, st, err, want.Live, len(truthBytes))
			}
			if want.SizeStorer != nil && st.Count != want.SizeStorer.NumRecords {
				t.Logf("%s %s: %d documents, sizeStorer says %d (it can lag)", d.Dir, want.NS, st.Count, want.SizeStorer.NumRecords)
			}
		}
	}
}

func TestFixturesDump(t *testing.T) {
	for _, d := range loadTruth(t) {
		t.Run(d.Dir, func(t *testing.T) {
			out := t.TempDir()
			res, err := Dump(fixturePath(d.Dir), out, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Collections) != len(d.Collections) || res.Unclean == d.Clean {
				t.Fatalf("dumped %d collections (unclean=%v), ground truth %d (clean=%v)", len(res.Collections), res.Unclean, len(d.Collections), d.Clean)
			}
			for _, want := range d.Collections {
				db, coll, _ := strings.Cut(want.NS, ".")
				got, err := os.ReadFile(filepath.Join(out, db, coll+".bson"))
				if err != nil {
					t.Fatal(err)
				}
				truth, _ := os.ReadFile(filepath.Join(fixturesDir, "ground-truth", d.Dir, want.Ident+".bson"))
				if !bytes.Equal(got, truth) {
					t.Errorf("%s: dumped .bson differs from the ground truth", want.NS)
				}
				checkMetadataFile(t, filepath.Join(out, db, coll+".metadata.json"), coll)
			}
			leftovers, _ := filepath.Glob(filepath.Join(out, "*", ".*.partial"))
			if len(leftovers) > 0 {
				t.Errorf("temporary files left behind: %v", leftovers)
			}
		})
	}
}

// checkMetadataFile parses a metadata.json as mongorestore would.
func checkMetadataFile(t *testing.T, path, coll string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Options        bson.D   `bson:"options"`
		Indexes        []bson.D `bson:"indexes"`
		UUID           string   `bson:"uuid"`
		CollectionName string   `bson:"collectionName"`
		Type           string   `bson:"type"`
	}
	if err := bson.UnmarshalExtJSON(b, true, &m); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
	if m.CollectionName != coll || m.Type != "collection" || len(m.Indexes) == 0 {
		t.Errorf("%s: %s", path, b)
	}
	if !bytes.HasPrefix(b, []byte(`{"options":`)) && !bytes.HasPrefix(b, []byte(`{"indexes":[{"v":{"$numberInt":`)) {
		t.Errorf("%s does not look like mongodump's canonical extended JSON: %s", path, b)
	}
	if m.UUID != "" && len(m.UUID) != 32 {
		t.Errorf("%s: uuid %q", path, m.UUID)
	}
}
