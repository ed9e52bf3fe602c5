package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/mongostep/mongostep/internal/mdbfiles"
	"github.com/mongostep/mongostep/internal/wiredtiger"
	"go.mongodb.org/mongo-driver/bson"
)

func main() {
	dir := os.Args[1]
	db, err := wiredtiger.Open(dir, nil)
	if err != nil {
		panic(err)
	}
	for _, u := range db.URIs() {
		v, _ := db.Config(u)
		if len(os.Args) > 2 && !strings.Contains(u, os.Args[2]) {
			continue
		}
		fmt.Printf("%s\n    %s\n", u, v)
	}
	d, err := mdbfiles.Open(dir)
	if err != nil {
		panic(err)
	}
	for _, c := range d.Collections {
		fmt.Printf("CAT %d %s\n", c.CatalogID, bson.Raw(c.Entry))
	}
	t, _ := db.OpenTable("_mdb_catalog")
	cur := t.Cursor()
	for cur.Next() {
		id, _ := wiredtiger.UnpackRecordID(cur.Key())
		if bson.Raw(cur.Value()).Lookup("isFeatureDoc").Type != 0 {
			fmt.Printf("FEATURE %d %s\n", id, bson.Raw(cur.Value()))
		}
	}
	t2, _ := db.OpenTable("sizeStorer")
	c2 := t2.Cursor()
	for c2.Next() {
		fmt.Printf("SS %q %s\n", c2.Key(), bson.Raw(c2.Value()))
	}
}
