package mongodsim

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// StateFileName holds the simulated data in the dbpath. Format: a stream of BSON documents:
//
//	{mongodsimState: 1, lastVersion, collections: N, featureDocId?}
//	N times: {db, name, uuid?: BinData(4), options, indexes: [...], count: K,
//	          ident?, catalogId?, catalogMajor?, idxIdents?: {name: ident}} then K raw documents
//	{mongodsimStateEnd: N}
//
// The optional fields say where the WiredTiger checkpoints put the data (wtcheckpoint.go).
//
// Documents are kept byte for byte. The file is replaced atomically (tmp + fsync + rename).
const StateFileName = "mongodsim.state"

const stateFormat = 1

// ErrNoState means the dbpath has no simulator state file.
var ErrNoState = errors.New("no mongodsim state in dbpath")

// LoadState reads dbpath's state; ErrNoState (wrapped) if there is none.
func LoadState(dbpath string) (*State, error) {
	path := filepath.Join(dbpath, StateFileName)
	buf, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, ErrNoState)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	s, err := decodeState(buf)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return s, nil
}

type docReader struct {
	buf []byte
	off int
}

func (r *docReader) next() (bson.Raw, error) {
	if r.off+4 > len(r.buf) {
		return nil, fmt.Errorf("truncated at byte %d", r.off)
	}
	n := int(binary.LittleEndian.Uint32(r.buf[r.off:]))
	if n < 5 || r.off+n > len(r.buf) {
		return nil, fmt.Errorf("bad document length %d at byte %d", n, r.off)
	}
	d := bson.Raw(r.buf[r.off : r.off+n : r.off+n])
	r.off += n
	return d, nil
}

func decodeState(buf []byte) (*State, error) {
	r := &docReader{buf: buf}
	hdr, err := r.next()
	if err != nil {
		return nil, err
	}
	if f, ok := hdr.Lookup("mongodsimState").AsInt64OK(); !ok || f != stateFormat {
		return nil, fmt.Errorf("not a mongodsim state file (format %v)", hdr.Lookup("mongodsimState"))
	}
	s := NewState()
	s.LastVersion, _ = hdr.Lookup("lastVersion").StringValueOK()
	s.featureDocID, _ = hdr.Lookup("featureDocId").AsInt64OK()
	n, _ := hdr.Lookup("collections").AsInt64OK()
	for i := int64(0); i < n; i++ {
		if err := decodeCollection(r, s); err != nil {
			return nil, fmt.Errorf("collection %d: %w", i, err)
		}
	}
	end, err := r.next()
	if err != nil {
		return nil, fmt.Errorf("missing end marker: %w", err)
	}
	if m, ok := end.Lookup("mongodsimStateEnd").AsInt64OK(); !ok || m != n {
		return nil, fmt.Errorf("bad end marker %v", end)
	}
	return s, nil
}

func decodeCollection(r *docReader, s *State) error {
	meta, err := r.next()
	if err != nil {
		return err
	}
	db, _ := meta.Lookup("db").StringValueOK()
	name, _ := meta.Lookup("name").StringValueOK()
	opts, _ := meta.Lookup("options").DocumentOK()
	c := s.CreateCollection(db, name, opts, false, 2)
	if _, u, ok := meta.Lookup("uuid").BinaryOK(); ok {
		c.UUID = u
	}
	c.Indexes = nil
	if arr, ok := meta.Lookup("indexes").ArrayOK(); ok {
		vals, _ := arr.Values()
		for _, v := range vals {
			if d, ok := v.DocumentOK(); ok {
				c.Indexes = append(c.Indexes, newIndex(d))
			}
		}
	}
	decodePlacement(meta, c)
	count, _ := meta.Lookup("count").AsInt64OK()
	c.docs = make([]bson.Raw, 0, count)
	for j := int64(0); j < count; j++ {
		d, err := r.next()
		if err != nil {
			return fmt.Errorf("%s document %d: %w", nsOf(db, name), j, err)
		}
		c.docs = append(c.docs, d)
	}
	c.rebuildKeys()
	return nil
}

// decodePlacement reads where the checkpoints put the collection.
func decodePlacement(meta bson.Raw, c *Collection) {
	c.Ident, _ = meta.Lookup("ident").StringValueOK()
	c.CatalogID, _ = meta.Lookup("catalogId").AsInt64OK()
	c.CatalogMajor, _ = meta.Lookup("catalogMajor").StringValueOK()
	idents, _ := meta.Lookup("idxIdents").DocumentOK()
	for _, ix := range c.Indexes {
		ix.Ident, _ = idents.Lookup(ix.Name).StringValueOK()
	}
}

func encodePlacement(meta bson.D, c *Collection) bson.D {
	if c.Ident != "" {
		meta = append(meta, bson.E{Key: "ident", Value: c.Ident})
	}
	if c.CatalogID != 0 {
		meta = append(meta, bson.E{Key: "catalogId", Value: c.CatalogID})
	}
	if c.CatalogMajor != "" {
		meta = append(meta, bson.E{Key: "catalogMajor", Value: c.CatalogMajor})
	}
	idents := bson.D{}
	for _, ix := range c.Indexes {
		if ix.Ident != "" {
			idents = append(idents, bson.E{Key: ix.Name, Value: ix.Ident})
		}
	}
	if len(idents) > 0 {
		meta = append(meta, bson.E{Key: "idxIdents", Value: idents})
	}
	return meta
}

// Save writes the state atomically to dbpath/StateFileName.
func (s *State) Save(dbpath string) error {
	path := filepath.Join(dbpath, StateFileName)
	return writeFileAtomic(path, func(w *bufio.Writer) error {
		colls := s.Collections()
		hdr := bson.D{{Key: "mongodsimState", Value: int32(stateFormat)},
			{Key: "lastVersion", Value: s.LastVersion}, {Key: "collections", Value: int64(len(colls))}}
		if s.featureDocID != 0 {
			hdr = append(hdr, bson.E{Key: "featureDocId", Value: s.featureDocID})
		}
		if _, err := w.Write(mustMarshal(hdr)); err != nil {
			return err
		}
		for _, c := range colls {
			if err := encodeCollection(w, c); err != nil {
				return err
			}
		}
		_, err := w.Write(mustMarshal(bson.D{{Key: "mongodsimStateEnd", Value: int64(len(colls))}}))
		return err
	})
}

func encodeCollection(w *bufio.Writer, c *Collection) error {
	meta := bson.D{{Key: "db", Value: c.DB}, {Key: "name", Value: c.Name}}
	if c.UUID != nil {
		meta = append(meta, bson.E{Key: "uuid", Value: primitive.Binary{Subtype: 4, Data: c.UUID}})
	}
	specs := make(bson.A, len(c.Indexes))
	for i, ix := range c.Indexes {
		specs[i] = ix.Spec
	}
	meta = append(meta, bson.E{Key: "options", Value: c.Options}, bson.E{Key: "indexes", Value: specs},
		bson.E{Key: "count", Value: int64(len(c.docs))})
	meta = encodePlacement(meta, c)
	if _, err := w.Write(mustMarshal(meta)); err != nil {
		return err
	}
	for _, d := range c.docs {
		if _, err := w.Write(d); err != nil {
			return err
		}
	}
	return nil
}

// writeFileAtomic writes path via path.tmp, fsync, rename, directory fsync.
func writeFileAtomic(path string, fill func(w *bufio.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil && fsyncEnabled {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s to %s: %w", tmp, path, err)
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	if !fsyncEnabled {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// EditState loads dbpath's state, lets fn change it and saves it. It is for test set-up (data
// shapes a real older mongod would have left: no FCV document, no UUIDs, MONGODB-CR schema).
// The simulator must not be running on dbpath.
func EditState(dbpath string, fn func(*State) error) error {
	s, err := LoadState(dbpath)
	if err != nil {
		return err
	}
	if err := fn(s); err != nil {
		return err
	}
	return s.Save(dbpath)
}
