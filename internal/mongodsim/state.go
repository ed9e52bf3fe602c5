package mongodsim

import (
	"crypto/rand"
	"fmt"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
)

// FCVDocumentID is the _id of the FCV document in admin.system.version.
const FCVDocumentID = "featureCompatibilityVersion"

// State is the whole simulated data set of a dbpath.
type State struct {
	// LastVersion is the full version of the binary that last started successfully on the data.
	LastVersion string
	colls       map[string]*Collection
}

// Index is one index of a collection.
type Index struct {
	Spec   bson.Raw // as listIndexes returns it (without "ns")
	Name   string
	Fields []string
	Unique bool
	Sparse bool
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
}

// NewState returns an empty data set.
func NewState() *State { return &State{colls: map[string]*Collection{}} }

func nsOf(db, coll string) string { return db + "." + coll }

// Collection returns db.name or nil.
func (s *State) Collection(db, name string) *Collection { return s.colls[nsOf(db, name)] }

// Collections lists all collections sorted by namespace.
func (s *State) Collections() []*Collection {
	out := make([]*Collection, 0, len(s.colls))
	for _, c := range s.colls {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return nsOf(out[i].DB, out[i].Name) < nsOf(out[j].DB, out[j].Name) })
	return out
}

// Databases lists database names that hold at least one collection, sorted.
func (s *State) Databases() []string {
	seen := map[string]bool{}
	for _, c := range s.colls {
		seen[c.DB] = true
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// HasNonLocalData: a collection exists outside the local database.
func (s *State) HasNonLocalData() bool {
	for _, c := range s.colls {
		if c.DB != "local" {
			return true
		}
	}
	return false
}

// CollectionsWithoutUUID lists namespaces whose collection has no UUID.
func (s *State) CollectionsWithoutUUID() []string {
	var out []string
	for _, c := range s.Collections() {
		if c.UUID == nil {
			out = append(out, nsOf(c.DB, c.Name))
		}
	}
	return out
}

// AssignUUIDs gives every collection without a UUID a new one (3.6's setFCV "3.6").
func (s *State) AssignUUIDs() {
	for _, c := range s.colls {
		if c.UUID == nil {
			c.UUID = newUUID()
		}
	}
}

// StripUUIDs removes all collection UUIDs (3.6's setFCV "3.4"; also for building 3.4-era test data).
func (s *State) StripUUIDs() {
	for _, c := range s.colls {
		c.UUID = nil
	}
}

// CreateCollection adds db.name; withUUID decides whether it gets a UUID.
func (s *State) CreateCollection(db, name string, options bson.Raw, withUUID bool, idIndexVersion int32) *Collection {
	if options == nil {
		options = mustMarshal(bson.D{})
	}
	c := &Collection{DB: db, Name: name, Options: options, ids: map[string]int{}, uniq: map[string]map[string]bool{}}
	if withUUID {
		c.UUID = newUUID()
	}
	c.Indexes = []*Index{newIndex(mustMarshal(bson.D{
		{Key: "v", Value: idIndexVersion}, {Key: "key", Value: bson.D{{Key: "_id", Value: int32(1)}}}, {Key: "name", Value: "_id_"},
	}))}
	s.colls[nsOf(db, name)] = c
	return c
}

// DropCollection removes db.name; it reports whether it existed.
func (s *State) DropCollection(db, name string) bool {
	ns := nsOf(db, name)
	_, ok := s.colls[ns]
	delete(s.colls, ns)
	return ok
}

// FCVDocument returns admin.system.version's FCV document or nil.
func (s *State) FCVDocument() bson.Raw {
	c := s.Collection("admin", "system.version")
	if c == nil {
		return nil
	}
	return c.FindByID(FCVDocumentID)
}

// SetFCVDocument replaces (or creates) the FCV document. uuid says whether a newly created
// admin.system.version gets a UUID.
func (s *State) SetFCVDocument(fields bson.D, uuid bool) {
	doc := append(bson.D{{Key: "_id", Value: FCVDocumentID}}, fields...)
	s.upsertAdminVersionDoc(mustMarshal(doc), uuid)
}

// RemoveFCVDocument deletes the FCV document (test setup: models 3.2-era data or a lost document).
func (s *State) RemoveFCVDocument() {
	if c := s.Collection("admin", "system.version"); c != nil {
		c.deleteByID(FCVDocumentID)
		if len(c.docs) == 0 {
			s.DropCollection("admin", "system.version")
		}
	}
}

// SetAuthSchemaVersion writes admin.system.version {_id: "authSchema", currentVersion: v}.
func (s *State) SetAuthSchemaVersion(v int32, uuid bool) {
	s.upsertAdminVersionDoc(mustMarshal(bson.D{{Key: "_id", Value: "authSchema"}, {Key: "currentVersion", Value: v}}), uuid)
}

func (s *State) upsertAdminVersionDoc(doc bson.Raw, uuid bool) {
	c := s.Collection("admin", "system.version")
	if c == nil {
		c = s.CreateCollection("admin", "system.version", nil, uuid, 2)
	}
	c.replaceOrAppend(doc)
}

// AuthSchemaVersion returns the authSchema currentVersion, ok=false when there is none.
func (s *State) AuthSchemaVersion() (int32, bool) {
	c := s.Collection("admin", "system.version")
	if c == nil {
		return 0, false
	}
	d := c.FindByID("authSchema")
	if d == nil {
		return 0, false
	}
	v, err := d.LookupErr("currentVersion")
	if err != nil {
		return 0, false
	}
	n, ok := v.AsInt64OK()
	return int32(n), ok
}

func newUUID() []byte {
	u := make([]byte, 16)
	_, _ = rand.Read(u)
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return u
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
		parts[i] = fmt.Sprintf("%s: %s", name, v.String())
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}
