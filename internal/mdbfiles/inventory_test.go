package mdbfiles

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/mongostep/mongostep/internal/inventory"
)

// The offline inventory of each fixture holds every user collection with the
// ground truth's count, and a hash equal to the DocHash of the ground-truth
// documents (the FCV document of admin.system.version aside).
func TestFixturesInventory(t *testing.T) {
	for _, d := range loadTruth(t) {
		t.Run(d.Dir, func(t *testing.T) {
			db, err := Open(fixturePath(d.Dir))
			if err != nil {
				t.Fatal(err)
			}
			inv, err := db.Inventory()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]inventory.Collection{}
			for _, idb := range inv.Databases {
				if idb.Name == "local" || idb.Name == "config" {
					t.Errorf("database %s is a server's own state and must be left out", idb.Name)
				}
				for _, c := range idb.Collections {
					got[idb.Name+"."+c.Name] = c
				}
			}
			for _, want := range d.Collections {
				if strings.HasPrefix(want.NS, "local.") || strings.HasPrefix(want.NS, "config.") {
					continue
				}
				c, ok := got[want.NS]
				if !ok {
					t.Errorf("%s missing from the inventory", want.NS)
					continue
				}
				wantHash, wantCount := truthDocHash(t, d.Dir, want.Ident, want.NS == "admin.system.version")
				if c.Count != wantCount || c.Hash != wantHash {
					t.Errorf("%s: %d documents hash %.12s, ground truth %d hash %.12s", want.NS, c.Count, c.Hash, wantCount, wantHash)
				}
			}
		})
	}
}

func truthDocHash(t *testing.T, dir, ident string, skipFCV bool) (string, int64) {
	b, err := os.ReadFile(filepath.Join(fixturesDir, "ground-truth", dir, ident+".bson"))
	if err != nil {
		t.Fatal(err)
	}
	var h inventory.DocHash
	for len(b) >= 4 {
		n := int(binary.LittleEndian.Uint32(b))
		if n < 5 || n > len(b) {
			t.Fatalf("ground-truth %s/%s.bson: bad document length %d", dir, ident, n)
		}
		doc := b[:n]
		if id, ok := bson.Raw(doc).Lookup("_id").StringValueOK(); !(skipFCV && ok && id == "featureCompatibilityVersion") {
			h.Add(doc)
		}
		b = b[n:]
	}
	return h.Sum(), h.Count()
}
