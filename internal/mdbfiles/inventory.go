package mdbfiles

import (
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/mongostep/mongostep/internal/inventory"
)

// Inventory reads every collection from the files and describes it the way
// a live server's inventory does (package mongo): the same databases (all
// but local and config, which hold each server's own state), and the same
// document hash, with the featureCompatibilityVersion document of
// admin.system.version left out (raising the FCV is what an upgrade changes).
// Options and index specs come from the catalog.
func (d *DBPath) Inventory() (*inventory.Inventory, error) {
	inv := &inventory.Inventory{TakenAt: time.Now().UTC(), By: "files"}
	byDB := map[string]*inventory.Database{}
	for _, c := range d.Collections {
		if c.DB == "local" || c.DB == "config" {
			continue
		}
		coll, err := d.inventoryCollection(c)
		if err != nil {
			return nil, err
		}
		db := byDB[c.DB]
		if db == nil {
			db = &inventory.Database{Name: c.DB}
			byDB[c.DB] = db
		}
		db.Collections = append(db.Collections, coll)
	}
	for _, db := range byDB {
		inv.Databases = append(inv.Databases, *db)
	}
	inv.Sort()
	return inv, nil
}

func (d *DBPath) inventoryCollection(c Collection) (inventory.Collection, error) {
	out := inventory.Collection{Name: c.Name, Type: "collection", Options: inventory.CanonicalJSON(c.Options)}
	for _, ix := range c.Indexes {
		if ix.Ready {
			out.Indexes = append(out.Indexes, inventory.CanonicalJSON(ix.Spec))
		}
	}
	sort.Strings(out.Indexes)
	docs, err := d.Documents(c)
	if err != nil {
		return out, fmt.Errorf("read %s: %w", c.NS, err)
	}
	defer docs.Close()
	var h inventory.DocHash
	for docs.Next() {
		if c.NS == "admin.system.version" && isFCVDocument(docs.Doc()) {
			continue
		}
		h.Add(docs.Doc())
	}
	if err := docs.Err(); err != nil {
		return out, fmt.Errorf("read %s: %w", c.NS, err)
	}
	out.Count, out.Hash = h.Count(), h.Sum()
	return out, nil
}

func isFCVDocument(doc []byte) bool {
	id, ok := bson.Raw(doc).Lookup("_id").StringValueOK()
	return ok && id == "featureCompatibilityVersion"
}
