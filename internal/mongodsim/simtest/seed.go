package simtest

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

const seedBatch = 500

// Seed starts binDir/mongod on dbpath, inserts dataset (through the official Go driver, or
// the wire client for 3.4, which the driver refuses), creates its indexes and stops the
// simulator cleanly.
func Seed(t testing.TB, binDir, dbpath string, dataset Dataset) {
	t.Helper()
	SeedWithEnv(t, binDir, dbpath, dataset)
}

// SeedWithEnv is Seed with extra environment entries for the simulator (e.g. MONGODSIM_KERNEL).
func SeedWithEnv(t testing.TB, binDir, dbpath string, dataset Dataset, env ...string) {
	t.Helper()
	p := Start(t, filepath.Join(binDir, "mongod"), dbpath, env...)
	var err error
	if p.MaxWireVersion() >= 6 {
		err = seedWithDriver(p.URI(), dataset)
	} else {
		err = seedWithWire(p.Addr(), dataset)
	}
	if err != nil {
		t.Fatalf("simtest: seed %s: %v\n--- simulator output ---\n%s", dbpath, err, p.Log())
	}
	p.Stop()
}

func seedWithDriver(uri string, ds Dataset) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	client, err := mongo.Connect(ctx, options.Client().ApplyURI(uri))
	if err != nil {
		return fmt.Errorf("connect %s: %w", uri, err)
	}
	defer func() { _ = client.Disconnect(context.Background()) }()
	for _, c := range ds.Collections {
		coll := client.Database(c.DB).Collection(c.Name)
		for start := 0; start < len(c.Docs); start += seedBatch {
			end := min(start+seedBatch, len(c.Docs))
			batch := make([]any, 0, end-start)
			for _, d := range c.Docs[start:end] {
				batch = append(batch, d)
			}
			if _, err := coll.InsertMany(ctx, batch); err != nil {
				return fmt.Errorf("insert into %s.%s: %w", c.DB, c.Name, err)
			}
		}
		if len(c.Indexes) == 0 {
			continue
		}
		models := make([]mongo.IndexModel, len(c.Indexes))
		for i, ix := range c.Indexes {
			o := options.Index().SetName(ix.Name)
			if ix.Unique {
				o.SetUnique(true)
			}
			models[i] = mongo.IndexModel{Keys: ix.Keys, Options: o}
		}
		if _, err := coll.Indexes().CreateMany(ctx, models); err != nil {
			return fmt.Errorf("create indexes on %s.%s: %w", c.DB, c.Name, err)
		}
	}
	return nil
}

// SeedAddr inserts dataset into the server at addr over the wire protocol
// (any version, 3.4 included) and creates its indexes, without a testing.TB
// (for test helper programs).
func SeedAddr(addr string, ds Dataset) error { return seedWithWire(addr, ds) }

func seedWithWire(addr string, ds Dataset) error {
	c, err := Dial(addr, 30*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	for _, coll := range ds.Collections {
		for start := 0; start < len(coll.Docs); start += seedBatch {
			end := min(start+seedBatch, len(coll.Docs))
			docs := bson.A{}
			for _, d := range coll.Docs[start:end] {
				docs = append(docs, d)
			}
			reply, err := c.Run(coll.DB, bson.D{{Key: "insert", Value: coll.Name}, {Key: "documents", Value: docs}})
			if err != nil {
				return fmt.Errorf("insert into %s.%s: %w", coll.DB, coll.Name, err)
			}
			if _, err := reply.LookupErr("writeErrors"); err == nil {
				return fmt.Errorf("insert into %s.%s: %s", coll.DB, coll.Name, reply)
			}
		}
		if len(coll.Indexes) == 0 {
			continue
		}
		specs := bson.A{}
		for _, ix := range coll.Indexes {
			spec := bson.D{{Key: "key", Value: ix.Keys}, {Key: "name", Value: ix.Name}}
			if ix.Unique {
				spec = append(spec, bson.E{Key: "unique", Value: true})
			}
			specs = append(specs, spec)
		}
		if _, err := c.Run(coll.DB, bson.D{{Key: "createIndexes", Value: coll.Name}, {Key: "indexes", Value: specs}}); err != nil {
			return fmt.Errorf("create indexes on %s.%s: %w", coll.DB, coll.Name, err)
		}
	}
	return nil
}

// FindAll returns every document of db.coll in natural order (find + getMore over the wire).
func FindAll(c *WireClient, db, coll string) ([]bson.Raw, error) {
	reply, err := c.Run(db, bson.D{{Key: "find", Value: coll}, {Key: "filter", Value: bson.D{}}})
	if err != nil {
		return nil, fmt.Errorf("find %s.%s: %w", db, coll, err)
	}
	var out []bson.Raw
	batchKey := "firstBatch"
	for {
		arr, _ := reply.Lookup("cursor", batchKey).ArrayOK()
		vals, _ := arr.Values()
		for _, v := range vals {
			d, _ := v.DocumentOK()
			out = append(out, d)
		}
		id, _ := reply.Lookup("cursor", "id").Int64OK()
		if id == 0 {
			return out, nil
		}
		reply, err = c.Run(db, bson.D{{Key: "getMore", Value: id}, {Key: "collection", Value: coll}})
		if err != nil {
			return nil, fmt.Errorf("getMore %s.%s: %w", db, coll, err)
		}
		batchKey = "nextBatch"
	}
}

// CheckDataset fails the test unless the server at addr holds every collection of ds with the
// same documents, byte for byte and in the same order, and with each index of ds by name.
func CheckDataset(t testing.TB, addr string, ds Dataset) {
	t.Helper()
	c, err := Dial(addr, 30*time.Second)
	if err != nil {
		t.Fatalf("simtest: CheckDataset: %v", err)
	}
	defer c.Close()
	for _, coll := range ds.Collections {
		got, err := FindAll(c, coll.DB, coll.Name)
		if err != nil {
			t.Fatalf("simtest: CheckDataset: %v", err)
		}
		if len(got) != len(coll.Docs) {
			t.Fatalf("simtest: %s.%s holds %d documents, want %d", coll.DB, coll.Name, len(got), len(coll.Docs))
		}
		for i := range got {
			if !bytes.Equal(got[i], coll.Docs[i]) {
				t.Fatalf("simtest: %s.%s document %d differs:\n got %s\nwant %s", coll.DB, coll.Name, i, got[i], coll.Docs[i])
			}
		}
		reply, err := c.Run(coll.DB, bson.D{{Key: "listIndexes", Value: coll.Name}})
		if err != nil {
			t.Fatalf("simtest: CheckDataset: listIndexes %s.%s: %v", coll.DB, coll.Name, err)
		}
		names := map[string]bool{}
		arr, _ := reply.Lookup("cursor", "firstBatch").ArrayOK()
		vals, _ := arr.Values()
		for _, v := range vals {
			n, _ := v.Document().Lookup("name").StringValueOK()
			names[n] = true
		}
		for _, ix := range coll.Indexes {
			if !names[ix.Name] {
				t.Fatalf("simtest: %s.%s lacks index %s (has %v)", coll.DB, coll.Name, ix.Name, names)
			}
		}
	}
}
