package dbpath

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

const (
	// maxFTDCDoc bounds one FTDC document: mongod's internal BSON limit
	// (16 MiB + 16 KiB). A larger length prefix is corruption.
	maxFTDCDoc = 16<<20 + 16<<10
	// initialDocBuf caps the up-front allocation for a document; the buffer
	// grows only as bytes actually arrive, so a lying length allocates little.
	initialDocBuf = 64 << 10
	// maxBuildInfoDepth bounds the search for buildInfo inside the metadata
	// document (flat layout: depth 1; 8.0 sharded layout: depth 2).
	maxBuildInfoDepth = 8
	ftdcTypeMetadata  = 0
)

// FTDCMetadata is what ReadFTDCMetadata extracts from the first metadata
// document (type 0) of an FTDC metrics file.
type FTDCMetadata struct {
	Version string    // buildInfo.version, e.g. "4.4.9"
	At      time.Time // the document's _id (UTC); zero if absent
	Offset  int64     // byte offset of the document in the file
}

// FTDCError says why an FTDC file gave no version, and where.
// Kind is ErrCorruptFTDC or ErrNoFTDCMetadata.
type FTDCError struct {
	Kind   error
	File   string // set by callers that know the file name
	Offset int64  // byte offset of the offending document (or of the end of file)
	Reason string
}

func (e *FTDCError) Error() string {
	name := e.File
	if name == "" {
		name = "FTDC data"
	}
	return fmt.Sprintf("%s: %s (byte offset %d)", name, e.Reason, e.Offset)
}

func (e *FTDCError) Unwrap() error { return e.Kind }

// ReadFTDCMetadata reads BSON documents from r in order and stops at the
// first metadata document (type 0), returning its buildInfo.version, found by
// a breadth-first search of its `doc` field (8.0 sharded layouts nest it).
// Every length is bounded; a truncated or corrupt stream gives an *FTDCError.
// Read errors from r are returned wrapped.
func ReadFTDCMetadata(r io.Reader) (FTDCMetadata, error) {
	br := bufio.NewReaderSize(r, initialDocBuf)
	var off int64
	for {
		doc, err := nextDoc(br, off)
		if errors.Is(err, io.EOF) {
			return FTDCMetadata{}, &FTDCError{Kind: ErrNoFTDCMetadata, Offset: off,
				Reason: "no metadata document (type 0) before the end of the data"}
		}
		if err != nil {
			return FTDCMetadata{}, err
		}
		isMeta, err := isMetadata(doc, off)
		if err != nil {
			return FTDCMetadata{}, err
		}
		if isMeta {
			return parseMetadata(doc, off)
		}
		off += int64(len(doc))
	}
}

// nextDoc reads one length-prefixed document starting at offset off.
// It returns io.EOF only at a clean end (no bytes left).
func nextDoc(r io.Reader, off int64) ([]byte, error) {
	var head [4]byte
	n, err := io.ReadFull(r, head[:])
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		return nil, io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, corrupt(off, fmt.Sprintf("data ends inside a document length (%d of 4 bytes): truncated", n))
	case err != nil:
		return nil, fmt.Errorf("read at byte offset %d: %w", off, err)
	}
	length := int32(binary.LittleEndian.Uint32(head[:]))
	if length < minDocLen || length > maxFTDCDoc {
		return nil, corrupt(off, fmt.Sprintf("invalid document length %d (valid: %d to %d)", length, minDocLen, maxFTDCDoc))
	}
	var buf bytes.Buffer
	buf.Grow(min(int(length), initialDocBuf))
	buf.Write(head[:])
	got, err := io.CopyN(&buf, r, int64(length)-4)
	if errors.Is(err, io.EOF) {
		return nil, corrupt(off, fmt.Sprintf("data ends inside a %d-byte document (%d bytes present): truncated", length, got+4))
	}
	if err != nil {
		return nil, fmt.Errorf("read at byte offset %d: %w", off, err)
	}
	if err := validDoc(buf.Bytes()); err != nil {
		return nil, corrupt(off, "invalid BSON document: "+err.Error())
	}
	return buf.Bytes(), nil
}

func isMetadata(doc bson.Raw, off int64) (bool, error) {
	v, err := doc.LookupErr("type")
	if err != nil {
		return false, corrupt(off, "document has no type field")
	}
	var t int64
	switch v.Type {
	case bson.TypeInt32:
		t = int64(v.Int32())
	case bson.TypeInt64:
		t = v.Int64()
	default:
		return false, corrupt(off, fmt.Sprintf("type field is a BSON %s, not an integer", v.Type))
	}
	return t == ftdcTypeMetadata, nil
}

func parseMetadata(doc bson.Raw, off int64) (FTDCMetadata, error) {
	m := FTDCMetadata{Offset: off}
	if ms, ok := doc.Lookup("_id").DateTimeOK(); ok {
		m.At = time.UnixMilli(ms).UTC()
	}
	body, ok := subDocument(doc.Lookup("doc"))
	if !ok {
		return m, &FTDCError{Kind: ErrNoFTDCMetadata, Offset: off, Reason: "metadata document has no valid doc field"}
	}
	v, ok := findBuildInfoVersion(body)
	if !ok {
		return m, &FTDCError{Kind: ErrNoFTDCMetadata, Offset: off, Reason: "metadata document has no buildInfo.version string"}
	}
	m.Version = v
	return m, nil
}

// findBuildInfoVersion searches doc breadth-first for a buildInfo
// subdocument holding a non-empty string version; the shallowest wins.
func findBuildInfoVersion(doc bson.Raw) (string, bool) {
	level := []bson.Raw{doc}
	for depth := 0; depth < maxBuildInfoDepth && len(level) > 0; depth++ {
		var next []bson.Raw
		for _, d := range level {
			elems, err := d.Elements()
			if err != nil {
				continue
			}
			for _, e := range elems {
				sub, ok := subDocument(e.Value())
				if !ok {
					continue
				}
				if e.Key() == "buildInfo" {
					if v, ok := sub.Lookup("version").StringValueOK(); ok && v != "" {
						return v, true
					}
				}
				next = append(next, sub)
			}
		}
		level = next
	}
	return "", false
}

func corrupt(off int64, reason string) *FTDCError {
	return &FTDCError{Kind: ErrCorruptFTDC, Offset: off, Reason: reason}
}
