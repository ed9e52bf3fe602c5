package mdbfiles

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/mongostep/mongostep/internal/wiredtiger"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
)

// Collection is one catalog entry: a collection (or time-series buckets
// collection, view catalog, ...) and where its data lives.
type Collection struct {
	NS        string   // "db.coll"
	DB, Name  string   // NS split at the first dot
	Ident     string   // WiredTiger table, e.g. "collection-7-123" (file <dbpath>/<ident>.wt)
	CatalogID int64    // RecordId of the catalog entry
	UUID      string   // 32 hex digits, "" before MongoDB 3.6
	Options   bson.Raw // collection options as listCollections shows them (md.options without uuid)
	Indexes   []Index  // in catalog order
	Entry     bson.Raw // the whole catalog document
}

// Index is one index of a collection.
type Index struct {
	Name  string
	Ident string   // WiredTiger table of the index, "" if the catalog has none
	Spec  bson.Raw // as listIndexes shows it
	Ready bool     // false while an index build is in progress
}

// readCatalog reads _mdb_catalog.wt. Feature documents (3.4-4.x) are skipped.
func readCatalog(db *wiredtiger.DB) ([]Collection, error) {
	t, err := db.OpenTable("_mdb_catalog")
	if err != nil {
		return nil, err
	}
	defer t.Close()
	var out []Collection
	c := t.Cursor()
	defer c.Close()
	for c.Next() {
		id, ok := wiredtiger.UnpackRecordID(c.Key())
		if !ok {
			return nil, fmt.Errorf("catalog key %x is not a RecordId", c.Key())
		}
		doc, err := checkBSON(c.Value())
		if err != nil {
			return nil, fmt.Errorf("catalog entry %d: %w", id, err)
		}
		if isFeatureDoc(doc) {
			continue
		}
		col, err := parseEntry(id, append(bson.Raw(nil), doc...))
		if err != nil {
			return nil, fmt.Errorf("catalog entry %d: %w", id, err)
		}
		out = append(out, col)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NS < out[j].NS })
	return out, nil
}

func isFeatureDoc(doc bson.Raw) bool {
	b, ok := doc.Lookup("isFeatureDoc").BooleanOK()
	return ok && b
}

func parseEntry(id int64, doc bson.Raw) (Collection, error) {
	col := Collection{CatalogID: id, Entry: doc}
	md, _ := doc.Lookup("md").DocumentOK()
	col.NS, _ = md.Lookup("ns").StringValueOK()
	if col.NS == "" {
		col.NS, _ = doc.Lookup("ns").StringValueOK()
	}
	col.Ident, _ = doc.Lookup("ident").StringValueOK()
	if col.NS == "" || col.Ident == "" {
		return col, fmt.Errorf("entry has no namespace or ident: %s", doc)
	}
	col.DB, col.Name, _ = strings.Cut(col.NS, ".")
	opts, _ := md.Lookup("options").DocumentOK()
	col.Options, col.UUID = splitUUID(opts)
	idents, _ := doc.Lookup("idxIdent").DocumentOK()
	arr, _ := md.Lookup("indexes").ArrayOK()
	indexes, _ := arr.Values()
	for _, v := range indexes {
		entry, ok := v.DocumentOK()
		if !ok {
			return col, fmt.Errorf("index entry is not a document")
		}
		spec, _ := entry.Lookup("spec").DocumentOK()
		name, _ := spec.Lookup("name").StringValueOK()
		ready, _ := entry.Lookup("ready").BooleanOK()
		ident, _ := idents.Lookup(name).StringValueOK()
		col.Indexes = append(col.Indexes, Index{Name: name, Ident: ident, Spec: spec, Ready: ready})
	}
	return col, nil
}

// splitUUID returns the options without their uuid field, and the uuid as hex.
func splitUUID(opts bson.Raw) (bson.Raw, string) {
	if len(opts) == 0 {
		return bson.Raw{5, 0, 0, 0, 0}, ""
	}
	elems, err := opts.Elements()
	if err != nil {
		return opts, ""
	}
	uuid := ""
	out := []byte{0, 0, 0, 0}
	for _, e := range elems {
		if e.Key() == "uuid" {
			if st, data, ok := e.Value().BinaryOK(); ok && st == 4 {
				uuid = hex.EncodeToString(data)
			}
			continue
		}
		out = append(out, e...)
	}
	out = append(out, 0)
	putInt32(out, len(out))
	return out, uuid
}

func putInt32(b []byte, n int) {
	b[0], b[1], b[2], b[3] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
}

// checkBSON validates one stored document.
func checkBSON(b []byte) (bson.Raw, error) {
	doc := bson.Raw(b)
	if err := doc.Validate(); err != nil {
		return nil, fmt.Errorf("invalid BSON document (%d bytes): %w", len(b), err)
	}
	return doc, nil
}

// int64Field reads a numeric field as int64 (0 when absent).
func int64Field(doc bson.Raw, key string) int64 {
	v := doc.Lookup(key)
	switch v.Type {
	case bsontype.Int32, bsontype.Int64, bsontype.Double:
		n, _ := v.AsInt64OK()
		return n
	}
	return 0
}
