package mdbfiles

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
)

// Filter selects the namespaces to dump; empty fields match everything.
type Filter struct {
	DB         string // --db
	Collection string // --collection (the name within the database)
}

// Match reports whether c passes the filter.
func (f Filter) Match(c Collection) bool {
	return (f.DB == "" || f.DB == c.DB) && (f.Collection == "" || f.Collection == c.Name)
}

// ErrNoMatch is returned by Dump when a non-empty filter selects nothing.
var ErrNoMatch = errors.New("no collection matches the filter")

// DumpResult describes what Dump wrote.
type DumpResult struct {
	Out         string
	Collections []DumpedCollection
	Unclean     bool     // mongod.lock was not empty: writes after the last checkpoint are missing
	Warnings    []string // from Open (unclean shutdown, unreadable sizeStorer)
}

// DumpedCollection is one collection written by Dump.
type DumpedCollection struct {
	NS           string
	BSONFile     string // OUT/<db>/<collection>.bson
	MetadataFile string // OUT/<db>/<collection>.metadata.json
	Documents    int64
	Bytes        int64  // size of the .bson file
	Hash         string // DocHash of the documents written
	SizeStorer   *Size  // MongoDB's cached counts, nil when it has none
	Err          error  // why this collection could not be dumped, nil on success
}

// Dump writes every collection of the data directory dbpath selected by
// filter in mongodump's directory layout under out: <db>/<coll>.bson holds
// the stored BSON documents byte for byte in RecordId order, and
// <db>/<coll>.metadata.json the options, indexes, uuid, collection name and
// type, as mongodump writes them, so mongorestore can load the result into
// any MongoDB version. Existing files of the same name are replaced.
//
// A collection that cannot be read (damaged file, invalid BSON) does not stop
// the others: its DumpedCollection.Err is set, no file is left for it, and
// Dump returns an error listing every failure alongside the result.
func Dump(dbpath, out string, filter Filter) (*DumpResult, error) {
	d, err := Open(dbpath)
	if err != nil {
		return nil, err
	}
	res := &DumpResult{Out: out, Unclean: d.Unclean, Warnings: d.Warnings}
	var errs []error
	for _, c := range d.Collections {
		if !filter.Match(c) {
			continue
		}
		dc, err := d.dumpCollection(c, out)
		if err != nil {
			dc.Err = err
			errs = append(errs, err)
		}
		res.Collections = append(res.Collections, dc)
	}
	if len(res.Collections) == 0 && filter != (Filter{}) {
		return res, fmt.Errorf("dump %s: %w (db %q, collection %q)", dbpath, ErrNoMatch, filter.DB, filter.Collection)
	}
	if len(errs) > 0 {
		return res, fmt.Errorf("dump %s: %d of %d collections could not be dumped (the others were written): %w",
			dbpath, len(errs), len(res.Collections), errors.Join(errs...))
	}
	return res, nil
}

func (d *DBPath) dumpCollection(c Collection, out string) (DumpedCollection, error) {
	dc := DumpedCollection{NS: c.NS}
	if !safeDBName(c.DB) {
		return dc, fmt.Errorf("dump %s: the catalog names database %q, which is not a valid directory name", c.NS, c.DB)
	}
	dir := filepath.Join(out, c.DB)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return dc, fmt.Errorf("dump %s: %w", c.NS, err)
	}
	base := dumpFileName(c.Name)
	dc.BSONFile = filepath.Join(dir, base+".bson")
	dc.MetadataFile = filepath.Join(dir, base+".metadata.json")
	if s, ok := d.SizeStorer[c.Ident]; ok {
		dc.SizeStorer = &s
	}
	if err := d.writeBSON(c, &dc); err != nil {
		return dc, err
	}
	meta, err := metadataJSON(c)
	if err != nil {
		return dc, fmt.Errorf("dump %s: metadata: %w", c.NS, err)
	}
	if err := writeFileAtomic(dc.MetadataFile, func(w *bufio.Writer) error {
		_, err := w.Write(meta)
		return err
	}); err != nil {
		return dc, fmt.Errorf("dump %s: %w", c.NS, err)
	}
	return dc, nil
}

// writeBSON streams the documents to the .bson file, validating each one.
func (d *DBPath) writeBSON(c Collection, dc *DumpedCollection) error {
	it, err := d.Documents(c)
	if err != nil {
		return fmt.Errorf("dump %s: %w", c.NS, err)
	}
	defer it.Close()
	var h DocHash
	err = writeFileAtomic(dc.BSONFile, func(w *bufio.Writer) error {
		for it.Next() {
			doc := it.Doc()
			if err := bson.Raw(doc).Validate(); err != nil {
				return fmt.Errorf("%s %s holds invalid BSON: %w", c.NS, it.recordName(), err)
			}
			if _, err := w.Write(doc); err != nil {
				return err
			}
			h.Add(doc)
			dc.Bytes += int64(len(doc))
		}
		return it.Err()
	})
	if err != nil {
		return fmt.Errorf("dump %s: %w", c.NS, err)
	}
	dc.Documents, dc.Hash = h.Count(), h.Sum()
	return nil
}

// writeFileAtomic writes path through a temporary file renamed into place,
// so an interrupted dump never leaves a complete-looking partial file.
func writeFileAtomic(path string, fill func(*bufio.Writer) error) error {
	f, tmp, err := createPartial(filepath.Dir(path))
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// createPartial creates a new hidden temporary file in dir with the usual
// permissions (0666 less the umask, like mongodump's files).
func createPartial(dir string) (*os.File, string, error) {
	for i := 0; i < 10000; i++ {
		name := filepath.Join(dir, fmt.Sprintf(".mongostep-dump-%d-%d.partial", os.Getpid(), i))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", fmt.Errorf("cannot create a temporary file in %s", dir)
}

// safeDBName rejects database names that MongoDB never creates and that
// could escape the output directory.
func safeDBName(db string) bool {
	return db != "" && db != "." && db != ".." && !strings.ContainsAny(db, "/\\\x00")
}
