package mongodsim

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"sort"
)

// identSource names new WiredTiger tables the way mongod's catalog does:
// <kind>-<counter>-<random>, the random part drawn once per process (it may be negative) and
// the counter starting at 0, so a dbpath shows one suffix per mongod run that created tables.
// From 8.2 an ident is <kind>-<generated uuid>.
type identSource struct {
	rand  int64
	next  int
	uuids bool
}

func newIdentSource(rel Release) *identSource {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &identSource{rand: int64(binary.LittleEndian.Uint64(b[:])), uuids: majorAtLeast(rel.Major, "8.2")}
}

// name returns a new ident of kind "collection" or "index".
func (g *identSource) name(kind string) string {
	if g.uuids {
		u := newUUID()
		return fmt.Sprintf("%s-%x-%x-%x-%x-%x", kind, u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
	}
	n := g.next
	g.next++
	return fmt.Sprintf("%s-%d-%d", kind, n, g.rand)
}

// Where a release puts the _mdb_catalog feature document when the catalog has none: 3.4-4.2
// right after the first collection of a new catalog (RecordId 2), 4.4-5.0 before any entry
// (RecordId 1), 6.0+ never (an existing one is kept).
const (
	featureDocNone = iota
	featureDocFirst
	featureDocAfterFirst
)

func featureDocPolicy(major string) int {
	switch {
	case majorAtLeast(major, "6.0"):
		return featureDocNone
	case majorAtLeast(major, "4.4"):
		return featureDocFirst
	}
	return featureDocAfterFirst
}

// assignPlacement gives every collection and index that has none an ident and a catalog
// RecordId (in creation order), places the feature document, and stamps changed catalog entries
// with rel's layout. It reports whether the state changed (and must be saved).
func assignPlacement(s *State, rel Release, g *identSource) bool {
	colls := s.Collections()
	sort.SliceStable(colls, func(i, j int) bool { return colls[i].seq < colls[j].seq })
	next := s.featureDocID
	fresh := true
	for _, c := range colls {
		next = max(next, c.CatalogID)
		if c.CatalogID != 0 {
			fresh = false
		}
	}
	next++
	changed := false
	policy := featureDocPolicy(rel.Major)
	if s.featureDocID == 0 && policy == featureDocFirst {
		s.featureDocID, next, changed = next, next+1, true
	}
	for _, c := range colls {
		if c.CatalogID == 0 {
			c.CatalogID, next, changed = next, next+1, true
			if s.featureDocID == 0 && policy == featureDocAfterFirst && fresh {
				s.featureDocID, next = next, next+1
			}
		}
		if placeTables(c, g) {
			changed = true
		}
		if c.CatalogMajor == "" {
			c.CatalogMajor, changed = rel.Major, true
		}
	}
	if s.featureDocID == 0 && policy == featureDocAfterFirst && len(colls) > 0 {
		s.featureDocID, changed = next, true
	}
	return changed
}

// placeTables names c's table and index tables that have no ident yet.
func placeTables(c *Collection, g *identSource) bool {
	changed := false
	if c.Ident == "" {
		c.Ident, changed = g.name("collection"), true
	}
	for _, ix := range c.Indexes {
		if ix.Ident == "" {
			ix.Ident, changed = g.name("index"), true
		}
	}
	return changed
}
