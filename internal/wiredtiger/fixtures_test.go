package wiredtiger

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/mongostep/mongostep/internal/fixtures"
	"os"
	"path/filepath"
	"testing"
)

var fixturesDir = fixtures.Dir()

type truthCollection struct {
	NS          string `json:"ns"`
	Ident       string `json:"ident"`
	Compressor  string `json:"block_compressor"`
	Live        int64  `json:"live_records"`
	Skipped     int64  `json:"records_with_stop_time_skipped"`
	RecordIDMin *int64 `json:"recordid_min"`
	RecordIDMax *int64 `json:"recordid_max"`
	SHA256      string `json:"sha256_bson_concat"`
}

type truthDir struct {
	Dir         string            `json:"dir"`
	WTVersion   string            `json:"wt_version_string"`
	Collections []truthCollection `json:"collections"`
}

// loadTruth reads ground-truth.json; missing fixtures fail the test.
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

// TestFixturesEveryFileDecodes opens every real dbpath and reads every table
// in its metadata to the end.
func TestFixturesEveryFileDecodes(t *testing.T) {
	for _, d := range loadTruth(t) {
		t.Run(d.Dir, func(t *testing.T) {
			db, err := Open(filepath.Join(fixturesDir, "dbpaths", d.Dir), nil)
			if err != nil {
				t.Fatal(err)
			}
			if db.Turtle.VersionString != d.WTVersion {
				t.Errorf("turtle version %q, ground truth %q", db.Turtle.VersionString, d.WTVersion)
			}
			files := db.Files()
			if len(files) < 4 {
				t.Fatalf("only %d files in the metadata", len(files))
			}
			for _, f := range files {
				tb, err := db.OpenTable(f)
				if err != nil {
					t.Errorf("%s: %v", f, err)
					continue
				}
				if _, _, err := scanAll(tb); err != nil {
					t.Errorf("%s: %v", f, err)
				}
				tb.Close()
			}
		})
	}
}

// TestFixturesCollectionsMatchGroundTruth checks every collection's live
// record count, RecordId range and the SHA-256 of its values in key order.
func TestFixturesCollectionsMatchGroundTruth(t *testing.T) {
	total := 0
	for _, d := range loadTruth(t) {
		db, err := Open(filepath.Join(fixturesDir, "dbpaths", d.Dir), nil)
		if err != nil {
			t.Fatalf("%s: %v", d.Dir, err)
		}
		for _, c := range d.Collections {
			total++
			checkCollection(t, db, d.Dir, c)
		}
	}
	if total < 30 {
		t.Errorf("checked only %d collections", total)
	}
}

func checkCollection(t *testing.T, db *DB, dir string, want truthCollection) {
	t.Helper()
	tb, err := db.OpenTable(want.Ident)
	if err != nil {
		t.Errorf("%s %s: %v", dir, want.NS, err)
		return
	}
	defer tb.Close()
	if tb.Compressor != want.Compressor || tb.KeyFormat != "q" {
		t.Errorf("%s %s: compressor %q key_format %q", dir, want.NS, tb.Compressor, tb.KeyFormat)
	}
	c := tb.Cursor()
	defer c.Close()
	h := sha256.New()
	var n int64
	prev := int64(-1 << 63)
	var minID, maxID int64
	for c.Next() {
		id, ok := UnpackRecordID(c.Key())
		if !ok || id <= prev {
			t.Errorf("%s %s: bad or unordered RecordId key %x after %d", dir, want.NS, c.Key(), prev)
		}
		if n == 0 {
			minID = id
		}
		maxID, prev = id, id
		h.Write(c.Value())
		n++
	}
	if err := c.Err(); err != nil {
		t.Errorf("%s %s: %v", dir, want.NS, err)
		return
	}
	if n != want.Live || c.Stats().Removed != want.Skipped {
		t.Errorf("%s %s: %d live records (%d removed), ground truth %d (%d)", dir, want.NS, n, c.Stats().Removed, want.Live, want.Skipped)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want.SHA256 {
		t.Errorf("%s %s: sha256 of values %s, ground truth %s", dir, want.NS, got, want.SHA256)
	}
	if want.RecordIDMin != nil && n > 0 && (minID != *want.RecordIDMin || maxID != *want.RecordIDMax) {
		t.Errorf("%s %s: RecordIds %d..%d, ground truth %d..%d", dir, want.NS, minID, maxID, *want.RecordIDMin, *want.RecordIDMax)
	}
}
