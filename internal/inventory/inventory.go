// Package inventory describes what a MongoDB data directory holds — every
// database and collection with its options, index specs, document count and
// an order-independent hash of its documents — and compares two of them. The
// live server (package mongo) and the offline reader (package mdbfiles) both
// produce one, so a migration is checked by the same rules either way.
package inventory

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
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

// DocHash is an order-independent hash of a set of documents: the SHA-256 of
// each raw BSON document, summed as 256-bit big-endian integers modulo 2^256.
type DocHash struct {
	sum big.Int
	n   int64
}

var mod = new(big.Int).Lsh(big.NewInt(1), 256)

// Add counts one document (its raw BSON bytes).
func (h *DocHash) Add(doc []byte) {
	d := sha256.Sum256(doc)
	var x big.Int
	x.SetBytes(d[:])
	h.sum.Add(&h.sum, &x)
	h.sum.Mod(&h.sum, mod)
	h.n++
}

// Count is the number of documents added.
func (h *DocHash) Count() int64 { return h.n }

// Sum is the hash as 64 hex digits.
func (h *DocHash) Sum() string {
	var buf [32]byte
	h.sum.FillBytes(buf[:])
	return hex.EncodeToString(buf[:])
}
