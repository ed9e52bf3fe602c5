package dbpath

import (
	"encoding/binary"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
)

// minDocLen is the smallest BSON document: int32 length + terminating 0x00.
const minDocLen = 5

// validDoc checks that b is exactly one well-formed BSON document. It guards
// the length before calling bson.Raw.Validate, which indexes b[length-1].
func validDoc(b []byte) error {
	if len(b) < minDocLen {
		return fmt.Errorf("%d bytes is shorter than the smallest BSON document (%d bytes)", len(b), minDocLen)
	}
	n := int32(binary.LittleEndian.Uint32(b))
	if int64(n) != int64(len(b)) {
		return fmt.Errorf("length prefix %d does not match the %d bytes present", n, len(b))
	}
	return bson.Raw(b).Validate()
}

// subDocument returns v as a validated embedded document.
func subDocument(v bson.RawValue) (bson.Raw, bool) {
	if v.Type != bson.TypeEmbeddedDocument {
		return nil, false
	}
	d, ok := v.DocumentOK()
	if !ok || validDoc(d) != nil {
		return nil, false
	}
	return d, true
}
