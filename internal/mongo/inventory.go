package mongo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/mongostep/mongostep/internal/inventory"
)

// Skipped databases: local holds this server's own state (startup_log grows
// at every start) and config holds sessions and other server-managed data
// that each version rebuilds; neither is user data carried by an upgrade.
var skippedDatabases = map[string]bool{"local": true, "config": true}

// Inventory lists every user database and collection with its options,
// index specs, document count and document hash. The FCV document in
// admin.system.version is left out: raising the FCV is what a step changes.
func (c *Client) Inventory(ctx context.Context, progress func(ns string)) (*inventory.Inventory, error) {
	ver, err := c.Version(ctx)
	if err != nil {
		return nil, err
	}
	names, err := c.c.ListDatabaseNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("listDatabases: %w", err)
	}
	sort.Strings(names)
	inv := &inventory.Inventory{TakenAt: time.Now().UTC(), By: "mongod " + ver}
	for _, name := range names {
		if skippedDatabases[name] {
			continue
		}
		db, err := c.database(ctx, name, progress)
		if err != nil {
			return nil, err
		}
		inv.Databases = append(inv.Databases, db)
	}
	inv.Sort()
	return inv, nil
}

type collInfo struct {
	Name    string   `bson:"name"`
	Type    string   `bson:"type"`
	Options bson.Raw `bson:"options"`
}

func (c *Client) database(ctx context.Context, name string, progress func(string)) (inventory.Database, error) {
	db := inventory.Database{Name: name}
	cur, err := c.c.Database(name).ListCollections(ctx, bson.D{})
	if err != nil {
		return db, fmt.Errorf("listCollections on %s: %w", name, err)
	}
	var infos []collInfo
	if err := cur.All(ctx, &infos); err != nil {
		return db, fmt.Errorf("listCollections on %s: %w", name, err)
	}
	for _, info := range infos {
		if progress != nil {
			progress(name + "." + info.Name)
		}
		coll, err := c.collection(ctx, name, info)
		if err != nil {
			return db, err
		}
		db.Collections = append(db.Collections, coll)
	}
	return db, nil
}

func (c *Client) collection(ctx context.Context, db string, info collInfo) (inventory.Collection, error) {
	ns := db + "." + info.Name
	typ := info.Type
	if typ == "" {
		typ = "collection" // 3.6 and older omit the type
	}
	out := inventory.Collection{Name: info.Name, Type: typ, Options: inventory.CanonicalJSON(info.Options)}
	if typ != "collection" {
		return out, nil // views and time-series views: their data lives in other collections
	}
	idx, err := c.indexes(ctx, db, info.Name)
	if err != nil {
		return out, fmt.Errorf("listIndexes on %s: %w", ns, err)
	}
	out.Indexes = idx
	var h inventory.DocHash
	cur, err := c.c.Database(db).Collection(info.Name).Find(ctx, bson.D{}, options.Find().SetBatchSize(1000))
	if err != nil {
		return out, fmt.Errorf("read %s: %w", ns, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		if ns == "admin.system.version" && isFCVDoc(cur.Current) {
			continue
		}
		h.Add(cur.Current)
	}
	if err := cur.Err(); err != nil {
		return out, fmt.Errorf("read %s: %w", ns, err)
	}
	out.Count, out.Hash = h.Count(), h.Sum()
	return out, nil
}

// indexes returns each index spec as canonical JSON, sorted by name. The
// "ns" field that servers before 4.4 add is dropped: 4.4 stopped reporting it.
func (c *Client) indexes(ctx context.Context, db, coll string) ([]string, error) {
	cur, err := c.c.Database(db).Collection(coll).Indexes().List(ctx)
	if err != nil {
		return nil, err
	}
	var specs []bson.D
	if err := cur.All(ctx, &specs); err != nil {
		return nil, err
	}
	var out []string
	for _, spec := range specs {
		var kept bson.D
		for _, e := range spec {
			if e.Key != "ns" {
				kept = append(kept, e)
			}
		}
		raw, err := bson.Marshal(kept)
		if err != nil {
			return nil, err
		}
		out = append(out, inventory.CanonicalJSON(raw))
	}
	sort.Strings(out)
	return out, nil
}

func isFCVDoc(doc bson.Raw) bool {
	id, ok := doc.Lookup("_id").StringValueOK()
	return ok && id == "featureCompatibilityVersion"
}
