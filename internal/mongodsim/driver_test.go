package mongodsim_test

import (
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

// TestDriverAgainstSimulator drives CRUD, listing and cursors with the official driver v1.17.
func TestDriverAgainstSimulator(t *testing.T) {
	dirs := install(t)
	for _, major := range []string{"3.6", "4.4", "6.0", "8.2"} {
		t.Run(major, func(t *testing.T) {
			p := simtest.Start(t, mongodOf(dirs, major), newDBPath(t), safeKernel)
			c := connect(t, p)
			checkHandshake(t, c, major)
			checkCRUD(t, c)
			checkCursors(t, c)
			checkListing(t, c)
			p.Stop()
		})
	}
}

func checkHandshake(t *testing.T, c *mongo.Client, major string) {
	r, err := adminCmd(t, c, bson.D{{Key: "buildInfo", Value: 1}})
	if err != nil {
		t.Fatalf("buildInfo: %v", err)
	}
	v, _ := r.Lookup("version").StringValueOK()
	if v[:len(major)] != major {
		t.Fatalf("buildInfo version %q, want major %s", v, major)
	}
	if _, err := adminCmd(t, c, bson.D{{Key: "ping", Value: 1}}); err != nil {
		t.Fatalf("ping: %v", err)
	}
	_, err = adminCmd(t, c, bson.D{{Key: "frobnicate", Value: 1}})
	if commandCode(err) != 59 {
		t.Fatalf("unknown command: got %v, want code 59", err)
	}
}

func checkCRUD(t *testing.T, c *mongo.Client) {
	coll := c.Database("app").Collection("things")
	res, err := coll.InsertOne(ctx(t), bson.D{{Key: "name", Value: "no id"}})
	if err != nil {
		t.Fatalf("insert: %v", err)
	}
	var got bson.M
	if err := coll.FindOne(ctx(t), bson.D{{Key: "_id", Value: res.InsertedID}}).Decode(&got); err != nil {
		t.Fatalf("find by _id: %v", err)
	}
	if got["name"] != "no id" {
		t.Fatalf("found %v", got)
	}
	if _, err := coll.InsertOne(ctx(t), bson.D{{Key: "_id", Value: res.InsertedID}}); !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("duplicate _id: got %v, want E11000", err)
	}
	n, err := coll.EstimatedDocumentCount(ctx(t))
	if err != nil || n != 1 {
		t.Fatalf("count: %d, %v", n, err)
	}
	if _, err := coll.Indexes().CreateOne(ctx(t), mongo.IndexModel{Keys: bson.D{{Key: "name", Value: 1}}, Options: options.Index().SetUnique(true)}); err != nil {
		t.Fatalf("createIndexes: %v", err)
	}
	if _, err := coll.InsertOne(ctx(t), bson.D{{Key: "name", Value: "no id"}}); !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("unique index: got %v, want E11000", err)
	}
}

func checkCursors(t *testing.T, c *mongo.Client) {
	coll := c.Database("app").Collection("many")
	docs := make([]any, 250)
	for i := range docs {
		docs[i] = bson.D{{Key: "_id", Value: int32(i)}, {Key: "v", Value: fmt.Sprint(i)}}
	}
	if _, err := coll.InsertMany(ctx(t), docs); err != nil {
		t.Fatalf("insertMany: %v", err)
	}
	cur, err := coll.Find(ctx(t), bson.D{}, options.Find().SetBatchSize(40))
	if err != nil {
		t.Fatalf("find: %v", err)
	}
	i := 0
	for cur.Next(ctx(t)) {
		if id := cur.Current.Lookup("_id").Int32(); id != int32(i) {
			t.Fatalf("doc %d has _id %d (natural order broken)", i, id)
		}
		i++
	}
	if err := cur.Err(); err != nil || i != 250 {
		t.Fatalf("cursor read %d docs, err %v", i, err)
	}
	// default first batch is 101, then getMore; close early to kill the cursor.
	cur, err = coll.Find(ctx(t), bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}))
	if err != nil || !cur.Next(ctx(t)) || cur.Current.Lookup("_id").Int32() != 249 {
		t.Fatalf("sorted find: %v", err)
	}
	if err := cur.Close(ctx(t)); err != nil {
		t.Fatalf("killCursors: %v", err)
	}
	if n, err := coll.CountDocuments(ctx(t), bson.D{{Key: "v", Value: "7"}}); err != nil || n != 1 {
		t.Fatalf("countDocuments with filter: %d, %v", n, err)
	}
	var one bson.M
	if err := coll.FindOne(ctx(t), bson.D{{Key: "v", Value: "42"}}).Decode(&one); err != nil || one["_id"] != int32(42) {
		t.Fatalf("equality filter: %v %v", one, err)
	}
}

func checkListing(t *testing.T, c *mongo.Client) {
	dbs, err := c.ListDatabaseNames(ctx(t), bson.D{})
	if err != nil {
		t.Fatalf("listDatabases: %v", err)
	}
	want := map[string]bool{"admin": true, "app": true, "local": true}
	for _, d := range dbs {
		delete(want, d)
	}
	if len(want) > 0 {
		t.Fatalf("listDatabases %v lacks %v", dbs, want)
	}
	names, err := c.Database("app").ListCollectionNames(ctx(t), bson.D{})
	if err != nil || len(names) != 2 {
		t.Fatalf("listCollections: %v %v", names, err)
	}
	specs, err := c.Database("app").Collection("things").Indexes().ListSpecifications(ctx(t))
	if err != nil || len(specs) != 2 || specs[1].Name != "name_1" || specs[1].Unique == nil || !*specs[1].Unique {
		t.Fatalf("listIndexes: %+v %v", specs, err)
	}
	if err := c.Database("app").Collection("many").Drop(ctx(t)); err != nil {
		t.Fatalf("drop: %v", err)
	}
	names, _ = c.Database("app").ListCollectionNames(ctx(t), bson.D{})
	if len(names) != 1 {
		t.Fatalf("after drop: %v", names)
	}
}
