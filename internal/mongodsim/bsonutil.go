package mongodsim

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/x/bsonx/bsoncore"
)

const (
	maxBSONSize    = 16 * 1024 * 1024
	maxMessageSize = 48000000
)

// valueKey turns a value into a string that is equal for values MongoDB considers equal in an
// index (numbers of different types compare by value); used for _id, unique indexes and equality.
func valueKey(v bson.RawValue) string {
	switch v.Type {
	case bsontype.Int32:
		return "n" + strconv.FormatInt(int64(v.Int32()), 10)
	case bsontype.Int64:
		return "n" + strconv.FormatInt(v.Int64(), 10)
	case bsontype.Double:
		f := v.Double()
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
			return "n" + strconv.FormatInt(int64(f), 10)
		}
		return "d" + strconv.FormatFloat(f, 'g', -1, 64)
	case bsontype.String:
		return "s" + v.StringValue()
	case bsontype.Null, bsontype.Undefined, 0:
		return "z"
	default:
		return fmt.Sprintf("%02x", byte(v.Type)) + string(v.Value)
	}
}

// lookupPath finds a dotted path in a document without descending into arrays.
func lookupPath(doc bson.Raw, path string) (bson.RawValue, bool) {
	v, err := doc.LookupErr(strings.Split(path, ".")...)
	if err != nil {
		return bson.RawValue{}, false
	}
	return v, true
}

// typeOrder is MongoDB's canonical cross-type sort order.
func typeOrder(t bsontype.Type) int {
	switch t {
	case bsontype.MinKey:
		return 1
	case bsontype.Null, bsontype.Undefined, 0:
		return 2
	case bsontype.Int32, bsontype.Int64, bsontype.Double, bsontype.Decimal128:
		return 3
	case bsontype.String, bsontype.Symbol:
		return 4
	case bsontype.EmbeddedDocument:
		return 5
	case bsontype.Array:
		return 6
	case bsontype.Binary:
		return 7
	case bsontype.ObjectID:
		return 8
	case bsontype.Boolean:
		return 9
	case bsontype.DateTime:
		return 10
	case bsontype.Timestamp:
		return 11
	case bsontype.Regex:
		return 12
	case bsontype.MaxKey:
		return 100
	default:
		return 50
	}
}

func numberOf(v bson.RawValue) float64 {
	switch v.Type {
	case bsontype.Int32:
		return float64(v.Int32())
	case bsontype.Int64:
		return float64(v.Int64())
	case bsontype.Double:
		return v.Double()
	case bsontype.Decimal128:
		f, err := strconv.ParseFloat(v.Decimal128().String(), 64)
		if err != nil {
			return math.NaN()
		}
		return f
	}
	return 0
}

// compareValues orders two values the way a sort on them does (close enough for a test double).
func compareValues(a, b bson.RawValue) int {
	ta, tb := typeOrder(a.Type), typeOrder(b.Type)
	if ta != tb {
		return cmpInt(ta, tb)
	}
	switch ta {
	case 3:
		if a.Type == bsontype.Int64 && b.Type == bsontype.Int64 {
			return cmpInt64(a.Int64(), b.Int64())
		}
		fa, fb := numberOf(a), numberOf(b)
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	case 4:
		return strings.Compare(stringish(a), stringish(b))
	case 9:
		return cmpInt(boolInt(a.Boolean()), boolInt(b.Boolean()))
	case 10:
		return cmpInt64(a.DateTime(), b.DateTime())
	case 11:
		at, ai := a.Timestamp()
		bt, bi := b.Timestamp()
		if at != bt {
			return cmpInt64(int64(at), int64(bt))
		}
		return cmpInt64(int64(ai), int64(bi))
	case 7:
		_, ab := a.Binary()
		_, bb := b.Binary()
		if len(ab) != len(bb) {
			return cmpInt(len(ab), len(bb))
		}
		return bytes.Compare(a.Value, b.Value)
	}
	return bytes.Compare(a.Value, b.Value)
}

func stringish(v bson.RawValue) string {
	if v.Type == bsontype.Symbol {
		return v.Symbol()
	}
	return v.StringValue()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// appendDocArray appends `key: [docs...]` to dst, copying the raw bytes unchanged.
func appendDocArray(dst []byte, key string, docs []bson.Raw) []byte {
	idx, dst := bsoncore.AppendArrayElementStart(dst, key)
	for i, d := range docs {
		dst = bsoncore.AppendDocumentElement(dst, strconv.Itoa(i), d)
	}
	dst, _ = bsoncore.AppendArrayEnd(dst, idx)
	return dst
}

// withIDFirst returns doc with an _id as its first field: a new ObjectId is added when there is
// none, and an _id that is not first is moved to the front (what mongod does on insert).
func withIDFirst(doc bson.Raw) (bson.Raw, error) {
	elems, err := doc.Elements()
	if err != nil {
		return nil, err
	}
	if len(elems) > 0 && elems[0].Key() == "_id" {
		return doc, nil
	}
	var idElem []byte
	for _, e := range elems {
		if e.Key() == "_id" {
			idElem = e
		}
	}
	idx, out := bsoncore.AppendDocumentStart(make([]byte, 0, len(doc)+20))
	if idElem == nil {
		out = bsoncore.AppendObjectIDElement(out, "_id", primitive.NewObjectID())
	} else {
		out = append(out, idElem...)
	}
	for _, e := range elems {
		if e.Key() != "_id" {
			out = append(out, e...)
		}
	}
	out, err = bsoncore.AppendDocumentEnd(out, idx)
	return bson.Raw(out), err
}

// mustMarshal marshals values built in code (a failure is a programming error).
func mustMarshal(v any) bson.Raw {
	b, err := bson.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("mongodsim: marshal %T: %v", v, err))
	}
	return b
}

func bsonBinary(b []byte) primitive.Binary { return primitive.Binary{Subtype: 0, Data: b} }
