package mongodsim

import (
	"crypto/rand"
	"sort"

	"go.mongodb.org/mongo-driver/bson"
)

// FCVDocumentID is the _id of the FCV document in admin.system.version.
const FCVDocumentID = "featureCompatibilityVersion"

// State is the whole simulated data set of a dbpath.
type State struct {
	// LastVersion is the full version of the binary that last started successfully on the data.
	LastVersion string
	colls       map[string]*Collection

	// featureDocID is the RecordId of the _mdb_catalog feature document (3.4-5.0), 0 if none.
	featureDocID int64
	seq          uint64 // creation counter (Collection.seq)
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
			c.CatalogMajor = ""
		}
	}
}

// StripUUIDs removes all collection UUIDs (3.6's setFCV "3.4"; also for building 3.4-era test data).
func (s *State) StripUUIDs() {
	for _, c := range s.colls {
		if c.UUID != nil {
			c.UUID = nil
			c.CatalogMajor = ""
		}
	}
}

// CreateCollection adds db.name; withUUID decides whether it gets a UUID.
func (s *State) CreateCollection(db, name string, options bson.Raw, withUUID bool, idIndexVersion int32) *Collection {
	if options == nil {
		options = mustMarshal(bson.D{})
	}
	s.seq++
	c := &Collection{DB: db, Name: name, Options: options, ids: map[string]int{}, uniq: map[string]map[string]bool{}, seq: s.seq}
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
