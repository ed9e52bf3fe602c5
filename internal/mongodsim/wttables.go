package mongodsim

import (
	"sort"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

// wtTable is one WiredTiger table a checkpoint writes.
type wtTable struct {
	name    string // table name: "_mdb_catalog", "sizeStorer", an ident; "" for the history file
	file    string // file name in the dbpath
	params  tableParams
	coll    *Collection        // a collection's documents: rewritten only when they changed
	records func() []wttest.KV // the records in key order; nil for an empty tree
	formats [2]string          // key_format, value_format of the table: entry
}

// planTables lists the tables of st in metadata id order: the lookaside/history file, the size
// storer, the catalog, then each collection (by catalog RecordId) followed by its indexes.
// Index tables are written as valid, empty B-trees: the catalog names them, the files exist
// and open, but the simulator keeps no index keys.
func planTables(st *State, rel Release, era wtEra) []wtTable {
	colls := st.Collections()
	sort.Slice(colls, func(i, j int) bool { return colls[i].CatalogID < colls[j].CatalogID })
	writeTS := rel.Major == "7.0"
	tables := []wtTable{
		{file: historyFile(era), params: tableParams{kind: kindHistory, id: 1}},
		{name: "sizeStorer", file: "sizeStorer.wt", params: tableParams{kind: kindSizeStorer, id: 2},
			records: func() []wttest.KV { return sizeStorerRecords(st, colls) }, formats: [2]string{"u", "u"}},
		{name: "_mdb_catalog", file: "_mdb_catalog.wt", params: tableParams{kind: kindRecordStore, id: 3, appMeta: "(formatVersion=1)", writeTS: writeTS},
			records: func() []wttest.KV { return catalogRecords(st, colls) }, formats: [2]string{"q", "u"}},
	}
	id := 4
	for _, c := range colls {
		c := c
		tables = append(tables, wtTable{name: c.Ident, file: c.Ident + ".wt", coll: c,
			params:  tableParams{kind: kindRecordStore, id: id, appMeta: "(formatVersion=1)", writeTS: writeTS},
			records: func() []wttest.KV { return documentRecords(c) }, formats: [2]string{"q", "u"}})
		id++
		for _, ix := range c.Indexes {
			tables = append(tables, wtTable{name: ix.Ident, file: ix.Ident + ".wt", formats: [2]string{"u", "u"},
				params: tableParams{kind: kindIndex, id: id, appMeta: indexAppMetadata(ix, nsOf(c.DB, c.Name), c.CatalogMajor), writeTS: writeTS}})
			id++
		}
	}
	return tables
}

// documentRecords are a collection's documents keyed by RecordId: 1, 2, ... in natural
// (insertion) order. The simulator keeps no RecordIds, so a document removed in the middle
// renumbers the ones after it; a real server would leave a gap.
func documentRecords(c *Collection) []wttest.KV {
	kvs := make([]wttest.KV, len(c.docs))
	for i, d := range c.docs {
		kvs[i] = wttest.KV{Key: wttest.PackInt(nil, int64(i+1)), Value: d}
	}
	return kvs
}

// catalogRecords are the _mdb_catalog entries by RecordId, the feature document included.
func catalogRecords(st *State, colls []*Collection) []wttest.KV {
	var kvs []wttest.KV
	if st.featureDocID != 0 {
		kvs = append(kvs, wttest.KV{Key: wttest.PackInt(nil, st.featureDocID), Value: featureDocument()})
	}
	for _, c := range colls {
		kvs = append(kvs, wttest.KV{Key: wttest.PackInt(nil, c.CatalogID), Value: catalogEntry(c)})
	}
	sort.Slice(kvs, func(i, j int) bool { return string(kvs[i].Key) < string(kvs[j].Key) })
	return kvs
}

// sizeStorerRecords are "table:<ident>" -> {numRecords, dataSize} for the catalog and every
// collection, in key order.
func sizeStorerRecords(st *State, colls []*Collection) []wttest.KV {
	var catCount, catSize int64
	for _, kv := range catalogRecords(st, colls) {
		catCount, catSize = catCount+1, catSize+int64(len(kv.Value))
	}
	kvs := []wttest.KV{{Key: []byte("table:_mdb_catalog"), Value: sizeStorerEntry(catCount, catSize)}}
	for _, c := range colls {
		kvs = append(kvs, wttest.KV{Key: []byte("table:" + c.Ident), Value: sizeStorerEntry(int64(c.Count()), c.DataSize())})
	}
	sort.Slice(kvs, func(i, j int) bool { return string(kvs[i].Key) < string(kvs[j].Key) })
	return kvs
}

// tableSpec is how the pages of a kind of table are laid out: leaves split at 90% of
// leaf_page_max, snappy for record stores, the page format of the era.
func tableSpec(era wtEra, kind tableKind) wttest.Spec {
	f := kindFormat(era, kind)
	spec := wttest.Spec{Compressor: f.compressor, DataChecksum: f.checksum == "on", LeafPageMax: 29000,
		InternalFanout: 200, KeyFormat: f.keyFormat, ValueFormat: f.valueFormat, Format: wttest.FormatWT2}
	if era.wt10() {
		spec.Format = wttest.FormatWT10
	}
	return spec
}
