package mdbfiles

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mongostep/mongostep/internal/wiredtiger"
)

// DBPath is a MongoDB data directory opened read-only.
type DBPath struct {
	Dir         string
	WT          *wiredtiger.DB
	Collections []Collection    // every catalog entry, sorted by namespace
	SizeStorer  map[string]Size // counts MongoDB cached, by ident (e.g. "collection-7-123")

	// MongodLock is the content of mongod.lock. A non-empty lock file means
	// mongod did not shut down cleanly (or is running): Unclean is set and
	// writes after the last checkpoint are missing from what is read here.
	MongodLock string
	Unclean    bool

	Warnings []string
}

// Size is one sizeStorer entry.
type Size struct {
	NumRecords int64
	DataSize   int64
}

// Open reads the WiredTiger metadata, the catalog and the size storer of the
// data directory dir. It never writes to dir.
func Open(dir string) (*DBPath, error) {
	d := &DBPath{Dir: dir}
	if err := d.readLock(); err != nil {
		return nil, err
	}
	db, err := wiredtiger.Open(dir, nil)
	if err != nil {
		return nil, fmt.Errorf("open MongoDB data directory %s: %w", dir, err)
	}
	d.WT = db
	if d.Collections, err = readCatalog(db); err != nil {
		return nil, fmt.Errorf("read the catalog of %s: %w", dir, err)
	}
	if d.SizeStorer, err = readSizeStorer(db); err != nil {
		d.Warnings = append(d.Warnings, fmt.Sprintf("sizeStorer.wt could not be read (%v); "+
			"document counts are still read from the collections themselves", err))
	}
	return d, nil
}

func (d *DBPath) readLock() error {
	b, err := os.ReadFile(filepath.Join(d.Dir, "mongod.lock"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read mongod.lock: %w", err)
	}
	d.MongodLock = strings.TrimSpace(string(b))
	if len(b) > 0 {
		d.Unclean = true
		d.Warnings = append(d.Warnings, fmt.Sprintf("mongod.lock in %s is not empty (pid %q): mongod did not shut down "+
			"cleanly or is still running, so writes after the last checkpoint are only in the journal and are "+
			"not included; start the mongod version that last ran on this directory, let it recover, and shut it "+
			"down cleanly to include them", d.Dir, d.MongodLock))
	}
	return nil
}

// Collection finds a collection by namespace ("db.coll").
func (d *DBPath) Collection(ns string) (Collection, bool) {
	i := sort.Search(len(d.Collections), func(i int) bool { return d.Collections[i].NS >= ns })
	if i < len(d.Collections) && d.Collections[i].NS == ns {
		return d.Collections[i], true
	}
	return Collection{}, false
}

// Databases lists the database names that have collections, sorted.
func (d *DBPath) Databases() []string {
	var out []string
	for _, c := range d.Collections {
		if len(out) == 0 || out[len(out)-1] != c.DB {
			out = append(out, c.DB)
		}
	}
	return out
}

// readSizeStorer reads sizeStorer.wt: key "table:<ident>", value
// {numRecords, dataSize}.
func readSizeStorer(db *wiredtiger.DB) (map[string]Size, error) {
	t, err := db.OpenTable("sizeStorer")
	if err != nil {
		return nil, err
	}
	defer t.Close()
	out := map[string]Size{}
	c := t.Cursor()
	defer c.Close()
	for c.Next() {
		doc, err := checkBSON(c.Value())
		if err != nil {
			return nil, fmt.Errorf("sizeStorer entry %q: %w", c.Key(), err)
		}
		ident := strings.TrimPrefix(string(c.Key()), "table:")
		out[ident] = Size{NumRecords: int64Field(doc, "numRecords"), DataSize: int64Field(doc, "dataSize")}
	}
	return out, c.Err()
}
