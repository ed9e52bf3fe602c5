package wiredtiger

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// DB is a WiredTiger home directory opened read-only: its turtle file and
// the metadata table WiredTiger.wt, as of the last checkpoint.
type DB struct {
	Dir    string
	Turtle *Turtle

	opts Options
	meta map[string]string // metadata URI -> configuration
	uris []string          // metadata URIs in stored (sorted) order
}

// Open reads dir/WiredTiger.turtle and the metadata table it points to. The
// files are never written.
func Open(dir string, opts *Options) (*DB, error) {
	t, err := ReadTurtle(dir)
	if err != nil {
		return nil, err
	}
	db := &DB{Dir: dir, Turtle: t, meta: map[string]string{}}
	if opts != nil {
		db.opts = *opts
	}
	mt, err := OpenFile(filepath.Join(dir, "WiredTiger.wt"), t.MetadataConfig, &db.opts)
	if err != nil {
		return nil, err
	}
	defer mt.Close()
	c := mt.Cursor()
	defer c.Close()
	for c.Next() {
		uri := stripNUL(c.Key())
		db.meta[uri] = stripNUL(c.Value())
		db.uris = append(db.uris, uri)
	}
	if err := c.Err(); err != nil {
		return nil, fmt.Errorf("read WiredTiger metadata: %w", err)
	}
	return db, nil
}

// URIs lists the metadata entries ("file:x.wt", "table:x", "colgroup:x", ...).
func (db *DB) URIs() []string { return append([]string(nil), db.uris...) }

// Config returns the metadata configuration of uri.
func (db *DB) Config(uri string) (string, bool) {
	v, ok := db.meta[uri]
	return v, ok
}

// FileURI resolves a name to its "file:" metadata URI. The name may be a
// file URI, a "table:" URI, or a bare table name such as a MongoDB ident
// ("collection-7-123", "db/index-1-456").
func (db *DB) FileURI(name string) (string, error) {
	if strings.HasPrefix(name, "file:") {
		if _, ok := db.meta[name]; ok {
			return name, nil
		}
		return "", fmt.Errorf("%w: %s is not in the WiredTiger metadata of %s", errNotFound, name, db.Dir)
	}
	table := strings.TrimPrefix(name, "table:")
	if cg, ok := db.meta["colgroup:"+table]; ok {
		if src, ok, _ := ConfigValue(cg, "source"); ok && strings.HasPrefix(src, "file:") {
			if _, ok := db.meta[src]; ok {
				return src, nil
			}
		}
	}
	uri := "file:" + table + ".wt"
	if _, ok := db.meta[uri]; ok {
		return uri, nil
	}
	return "", fmt.Errorf("%w: table %q is not in the WiredTiger metadata of %s", errNotFound, table, db.Dir)
}

// OpenTable opens a table by name (see FileURI) as of its last checkpoint.
func (db *DB) OpenTable(name string) (*Table, error) {
	uri, err := db.FileURI(name)
	if err != nil {
		return nil, err
	}
	rel := strings.TrimPrefix(uri, "file:")
	if filepath.IsAbs(rel) || strings.Contains("/"+filepath.ToSlash(rel)+"/", "/../") {
		return nil, fmt.Errorf("%s: metadata names a file outside the directory: %q", db.Dir, rel)
	}
	return OpenFile(filepath.Join(db.Dir, filepath.FromSlash(rel)), db.meta[uri], &db.opts)
}

// Files lists the "file:" URIs in the metadata, sorted.
func (db *DB) Files() []string {
	var out []string
	for _, u := range db.uris {
		if strings.HasPrefix(u, "file:") {
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out
}
