package mongodsim

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
)

// Index is one index of a collection.
type Index struct {
	Spec   bson.Raw // as listIndexes returns it (without "ns")
	Name   string
	Fields []string
	Unique bool
	Sparse bool
	Ident  string // WiredTiger table written for it ("" until a checkpoint names it)
}

// Collection holds a collection's catalog entry and its documents in natural (insertion) order.
type Collection struct {
	DB, Name string
	UUID     []byte // 16 bytes; nil when the collection has none (created before FCV 3.6)
	Options  bson.Raw
	Indexes  []*Index
	docs     []bson.Raw
	size     int64
	ids      map[string]int             // _id key -> position in docs
	uniq     map[string]map[string]bool // unique index name -> keys present

	// Where the checkpoints put it (see wtcheckpoint.go). Assigned by the first checkpoint that
	// sees the collection and kept in the state file.
	Ident     string // WiredTiger table of the documents, e.g. "collection-2-7208817034913436787"
	CatalogID int64  // RecordId of its _mdb_catalog entry
	// CatalogMajor is the major whose _mdb_catalog entry layout the entry has: the binary that
	// first checkpointed it after it was created or changed ("" = changed since).
	CatalogMajor string

	seq     uint64 // creation order in this process (loaded collections in file order)
	version uint64 // bumped on every document change: a checkpoint rewrites changed tables only
}

func newIndex(spec bson.Raw) *Index {
	ix := &Index{Spec: spec}
	ix.Name, _ = spec.Lookup("name").StringValueOK()
	if keys, ok := spec.Lookup("key").DocumentOK(); ok {
		elems, _ := keys.Elements()
		for _, e := range elems {
			ix.Fields = append(ix.Fields, e.Key())
		}
	}
	ix.Unique, _ = spec.Lookup("unique").BooleanOK()
	ix.Sparse, _ = spec.Lookup("sparse").BooleanOK()
	if ix.Name == "_id_" {
		ix.Unique = false // enforced through ids
	}
	return ix
}

// Docs returns the documents in natural order (shared; do not modify).
func (c *Collection) Docs() []bson.Raw { return c.docs }

// Count is the number of documents.
func (c *Collection) Count() int { return len(c.docs) }

// DataSize is the total BSON size of the documents.
func (c *Collection) DataSize() int64 { return c.size }

// FindByID returns the document whose _id is the given string, or nil.
func (c *Collection) FindByID(id string) bson.Raw {
	if i, ok := c.ids["s"+id]; ok {
		return c.docs[i]
	}
	return nil
}

// DuplicateKeyError reports a unique-key violation.
type DuplicateKeyError struct {
	NS, Index string
	Key       string // rendered `{ field: value }` part
}

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("E11000 duplicate key error collection: %s index: %s dup key: %s", e.NS, e.Index, e.Key)
}

// Insert appends a document (which must already start with _id), enforcing unique keys.
func (c *Collection) Insert(doc bson.Raw, emptyKeyNames bool) error {
	idv := doc.Lookup("_id")
	idk := valueKey(idv)
	if _, dup := c.ids[idk]; dup {
		return &DuplicateKeyError{NS: nsOf(c.DB, c.Name), Index: "_id_", Key: renderDupKey([]string{"_id"}, []bson.RawValue{idv}, emptyKeyNames)}
	}
	keys := map[string]string{}
	for _, ix := range c.Indexes {
		if !ix.Unique {
			continue
		}
		k, vals, skip := indexKey(ix, doc)
		if skip {
			continue
		}
		if c.uniq[ix.Name][k] {
			return &DuplicateKeyError{NS: nsOf(c.DB, c.Name), Index: ix.Name, Key: renderDupKey(ix.Fields, vals, emptyKeyNames)}
		}
		keys[ix.Name] = k
	}
	for name, k := range keys {
		c.uniq[name][k] = true
	}
	c.ids[idk] = len(c.docs)
	c.docs = append(c.docs, doc)
	c.size += int64(len(doc))
	c.version++
	return nil
}

// AddIndex adds an index; for a unique index existing documents must not collide.
func (c *Collection) AddIndex(spec bson.Raw, emptyKeyNames bool) error {
	ix := newIndex(spec)
	if ix.Unique {
		seen := map[string]bool{}
		for _, d := range c.docs {
			k, vals, skip := indexKey(ix, d)
			if skip {
				continue
			}
			if seen[k] {
				return &DuplicateKeyError{NS: nsOf(c.DB, c.Name), Index: ix.Name, Key: renderDupKey(ix.Fields, vals, emptyKeyNames)}
			}
			seen[k] = true
		}
		c.uniq[ix.Name] = seen
	}
	c.Indexes = append(c.Indexes, ix)
	c.CatalogMajor = ""
	return nil
}

// IndexByName returns the index or nil.
func (c *Collection) IndexByName(name string) *Index {
	for _, ix := range c.Indexes {
		if ix.Name == name {
			return ix
		}
	}
	return nil
}

func (c *Collection) replaceOrAppend(doc bson.Raw) {
	k := valueKey(doc.Lookup("_id"))
	c.version++
	if i, ok := c.ids[k]; ok {
		c.size += int64(len(doc) - len(c.docs[i]))
		c.docs[i] = doc
		return
	}
	c.ids[k] = len(c.docs)
	c.docs = append(c.docs, doc)
	c.size += int64(len(doc))
}

func (c *Collection) deleteByID(id string) {
	k := "s" + id
	i, ok := c.ids[k]
	if !ok {
		return
	}
	c.size -= int64(len(c.docs[i]))
	c.docs = append(c.docs[:i:i], c.docs[i+1:]...)
	c.version++
	c.rebuildKeys()
}

// dropLast removes the last document, as data loss would (the lose-document
// failure switch).
func (c *Collection) dropLast() {
	if len(c.docs) == 0 {
		return
	}
	c.docs = c.docs[:len(c.docs)-1]
	c.version++
	c.rebuildKeys()
}

// rebuildKeys recomputes the _id and unique-key maps from the documents.
func (c *Collection) rebuildKeys() {
	c.ids = make(map[string]int, len(c.docs))
	c.uniq = map[string]map[string]bool{}
	c.size = 0
	for _, ix := range c.Indexes {
		if ix.Unique {
			c.uniq[ix.Name] = map[string]bool{}
		}
	}
	for i, d := range c.docs {
		c.ids[valueKey(d.Lookup("_id"))] = i
		c.size += int64(len(d))
		for _, ix := range c.Indexes {
			if !ix.Unique {
				continue
			}
			if k, _, skip := indexKey(ix, d); !skip {
				c.uniq[ix.Name][k] = true
			}
		}
	}
}

// indexKey builds the key of doc in ix; skip is true for a sparse index and a doc lacking all fields.
func indexKey(ix *Index, doc bson.Raw) (key string, vals []bson.RawValue, skip bool) {
	var sb strings.Builder
	present := 0
	for _, f := range ix.Fields {
		v, ok := lookupPath(doc, f)
		if ok {
			present++
		} else {
			v = bson.RawValue{Type: bsontype.Null}
		}
		vals = append(vals, v)
		sb.WriteString(valueKey(v))
		sb.WriteByte(0)
	}
	return sb.String(), vals, ix.Sparse && present == 0
}

// renderDupKey prints `{ f: v }`; before 4.4 mongod left the field names out (`{ : v }`).
func renderDupKey(fields []string, vals []bson.RawValue, emptyNames bool) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		name := fields[i]
		if emptyNames {
			name = ""
		}
		parts[i] = fmt.Sprintf("%s: %s", name, shellValue(v))
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// shellValue prints a value the way mongod's BSONObj::toString does for common types.
func shellValue(v bson.RawValue) string {
	switch v.Type {
	case bsontype.String:
		return strconv.Quote(v.StringValue())
	case bsontype.Int32:
		return strconv.Itoa(int(v.Int32()))
	case bsontype.Int64:
		return strconv.FormatInt(v.Int64(), 10)
	case bsontype.Double:
		f := v.Double()
		if f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return strconv.FormatFloat(f, 'f', 1, 64)
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case bsontype.ObjectID:
		return "ObjectId('" + v.ObjectID().Hex() + "')"
	case bsontype.Boolean:
		return strconv.FormatBool(v.Boolean())
	case bsontype.Null:
		return "null"
	}
	return v.String()
}
