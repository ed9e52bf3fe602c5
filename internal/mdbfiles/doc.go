// Package mdbfiles reads a MongoDB data directory (dbpath) written by the
// WiredTiger storage engine without any server, using package wiredtiger:
// the catalog (_mdb_catalog.wt: namespaces, idents, collection options,
// index specs), the size storer (sizeStorer.wt: the counts MongoDB cached),
// and each collection's documents as raw BSON in RecordId order.
//
// Everything is read as of the last WiredTiger checkpoint. When mongod.lock
// is not empty the server did not shut down cleanly and writes made after
// that checkpoint are only in the journal, which is not read: DBPath.Unclean
// is set and DBPath.Warnings says so.
//
// API:
//
//	d, err := mdbfiles.Open(dir)       // catalog + sizeStorer + lock state
//	for _, c := range d.Collections {  // sorted by namespace
//		docs, err := d.Documents(c)    // iterator: Next, RecordID, Doc, Err, Close
//		st, err := d.Scan(c)           // count, bytes, DocHash of all documents
//		size, ok := d.SizeStorer[c.Ident]
//	}
//	all, err := d.ScanAll()            // Stats of every collection, by namespace
//	res, err := mdbfiles.Dump(dir, out, mdbfiles.Filter{DB: "app"}) // mongodump layout
//
// DocHash is an order-independent hash of a set of documents (the sum of the
// documents' SHA-256 digests modulo 2^256), so a hash computed here from the
// files can be compared with one computed from a live server's documents.
//
// Limits: idents of any layout work (directoryPerDB, directoryForIndexes,
// collection-<uuid>); clustered collections are read in key order but have
// no int64 RecordId; time-series collections are dumped as their
// system.buckets collection and views as the db.system.views documents,
// not as mongodump's view/time-series metadata.
package mdbfiles
