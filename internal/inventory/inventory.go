// Package inventory describes what a MongoDB data directory holds — every
// database and collection with its options, index specs, document count and
// an order-independent hash of its documents — and compares two of them. The
// live server (package mongo) and the offline reader (package mdbfiles) both
// produce one, so a migration is checked by the same rules either way.
package inventory

import (
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"sort"
	"strings"
	"time"
)

// Inventory is a snapshot of the user data in a dbpath.
type Inventory struct {
	TakenAt   time.Time  `json:"taken_at"`
	By        string     `json:"by"` // "mongod 4.4.9" or "files"
	Databases []Database `json:"databases"`
}

// Database is one database and its collections, sorted by name.
type Database struct {
	Name        string       `json:"name"`
	Collections []Collection `json:"collections"`
}

// Collection is one namespace. Options and Indexes are canonical relaxed
// extended JSON, so they compare as strings.
type Collection struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"` // collection, view, timeseries
	Options string   `json:"options"`
	Indexes []string `json:"indexes,omitempty"`
	Count   int64    `json:"count"`
	Hash    string   `json:"hash,omitempty"`
}

// Totals sums the collections and documents.
func (inv *Inventory) Totals() (dbs, colls int, docs int64) {
	for _, d := range inv.Databases {
		dbs++
		for _, c := range d.Collections {
			colls++
			docs += c.Count
		}
	}
	return
}

// Sort puts databases and collections in name order.
func (inv *Inventory) Sort() {
	sort.Slice(inv.Databases, func(i, j int) bool { return inv.Databases[i].Name < inv.Databases[j].Name })
	for _, d := range inv.Databases {
		sort.Slice(d.Collections, func(i, j int) bool { return d.Collections[i].Name < d.Collections[j].Name })
	}
}

// Diff lists every difference between before and after, one line each,
// naming the namespace; nil means they hold the same data.
func Diff(before, after *Inventory) []string {
	var out []string
	a, b := flatten(before), flatten(after)
	for _, ns := range unionKeys(a, b) {
		x, inA := a[ns]
		y, inB := b[ns]
		switch {
		case !inB:
			out = append(out, fmt.Sprintf("%s: missing after the migration (had %d documents)", ns, x.Count))
		case !inA:
			out = append(out, fmt.Sprintf("%s: appeared during the migration (%d documents)", ns, y.Count))
		default:
			out = append(out, diffCollection(ns, x, y)...)
		}
	}
	return out
}

func diffCollection(ns string, x, y Collection) []string {
	var out []string
	if x.Type != y.Type {
		out = append(out, fmt.Sprintf("%s: type %s became %s", ns, x.Type, y.Type))
	}
	if x.Count != y.Count {
		out = append(out, fmt.Sprintf("%s: %d documents before, %d after", ns, x.Count, y.Count))
	} else if x.Hash != y.Hash {
		out = append(out, fmt.Sprintf("%s: same count (%d) but the documents differ (hash %.12s… before, %.12s… after)", ns, x.Count, x.Hash, y.Hash))
	}
	if x.Options != y.Options {
		out = append(out, fmt.Sprintf("%s: options %s before, %s after", ns, x.Options, y.Options))
	}
	if strings.Join(x.Indexes, "\n") != strings.Join(y.Indexes, "\n") {
		out = append(out, fmt.Sprintf("%s: indexes %v before, %v after", ns, x.Indexes, y.Indexes))
	}
	return out
}

func flatten(inv *Inventory) map[string]Collection {
	m := map[string]Collection{}
	if inv == nil {
		return m
	}
	for _, d := range inv.Databases {
		for _, c := range d.Collections {
			m[d.Name+"."+c.Name] = c
		}
	}
	return m
}

func unionKeys(a, b map[string]Collection) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]Collection{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// CanonicalJSON renders collection options or an index spec as relaxed
// extended JSON, so that the same BSON always compares equal as a string.
func CanonicalJSON(raw []byte) string {
	if len(raw) == 0 {
		return "{}"
	}
	b, err := bson.MarshalExtJSON(bson.Raw(raw), true, false)
	if err != nil {
		return bson.Raw(raw).String()
	}
	return string(b)
}
