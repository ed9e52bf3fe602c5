package mongodsim

import (
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// catalogShape is how a major lays out an _mdb_catalog entry, as seen in dbpaths written by
// real servers (shared/fixtures: 3.4.1, 3.6.5, 4.0.4, 4.2.3, 4.4.5, 5.0.2, 6.0.3, 7.0.9, 8.0.3):
//
//	{md: {ns, options: {uuid?, ...}, indexes: [{spec, ready, multikey, multikeyPaths, head, ...}],
//	      prefix?}, idxIdent: {name: ident}, ns, ident}
//
// 8.2+ is assumed to keep 8.0's layout.
type catalogShape struct {
	specNS      bool // index specs carry "ns" after "name" (before 4.4)
	prefix      bool // "prefix": -1 in md and in each index entry (3.6-4.4)
	bgSecondary bool // index entries carry backgroundSecondary: false (4.0+)
	twoPhase    bool // runTwoPhaseBuild: false, versionOfBuild: 1 (4.2)
}

func catalogShapeOf(major string) catalogShape {
	return catalogShape{
		specNS:      !majorAtLeast(major, "4.4"),
		prefix:      majorAtLeast(major, "3.6") && !majorAtLeast(major, "5.0"),
		bgSecondary: majorAtLeast(major, "4.0"),
		twoPhase:    major == "4.2",
	}
}

// catalogEntry is c's _mdb_catalog document, in the layout of c.CatalogMajor.
func catalogEntry(c *Collection) bson.Raw {
	shape := catalogShapeOf(c.CatalogMajor)
	ns := nsOf(c.DB, c.Name)
	indexes := make(bson.A, len(c.Indexes))
	idents := bson.D{}
	for i, ix := range c.Indexes {
		indexes[i] = indexEntry(ix, ns, shape)
		idents = append(idents, bson.E{Key: ix.Name, Value: ix.Ident})
	}
	md := bson.D{{Key: "ns", Value: ns}, {Key: "options", Value: catalogOptions(c)}, {Key: "indexes", Value: indexes}}
	if shape.prefix {
		md = append(md, bson.E{Key: "prefix", Value: int64(-1)})
	}
	return mustMarshal(bson.D{{Key: "md", Value: md}, {Key: "idxIdent", Value: idents},
		{Key: "ns", Value: ns}, {Key: "ident", Value: c.Ident}})
}

// catalogOptions is md.options: the collection's UUID first (3.6+), then its options.
func catalogOptions(c *Collection) bson.Raw {
	if c.UUID == nil {
		return c.Options
	}
	opts := bson.D{{Key: "uuid", Value: primitive.Binary{Subtype: 4, Data: c.UUID}}}
	elems, _ := c.Options.Elements()
	for _, e := range elems {
		opts = append(opts, bson.E{Key: e.Key(), Value: e.Value()})
	}
	return mustMarshal(opts)
}

// indexEntry is one element of md.indexes. The simulator builds indexes at once (ready) and
// does not track multikey paths: multikey is false and every path component 0.
func indexEntry(ix *Index, ns string, shape catalogShape) bson.D {
	spec := ix.Spec
	if shape.specNS {
		spec = specWithNS(spec, ns)
	}
	e := bson.D{{Key: "spec", Value: spec}, {Key: "ready", Value: true}, {Key: "multikey", Value: false}}
	if paths, ok := multikeyPaths(ix.Spec); ok {
		e = append(e, bson.E{Key: "multikeyPaths", Value: paths})
	}
	e = append(e, bson.E{Key: "head", Value: int64(0)})
	if shape.prefix {
		e = append(e, bson.E{Key: "prefix", Value: int64(-1)})
	}
	if shape.bgSecondary {
		e = append(e, bson.E{Key: "backgroundSecondary", Value: false})
	}
	if shape.twoPhase {
		e = append(e, bson.E{Key: "runTwoPhaseBuild", Value: false}, bson.E{Key: "versionOfBuild", Value: int64(1)})
	}
	return e
}

// specWithNS inserts "ns" after "name", where mongod before 4.4 kept it.
func specWithNS(spec bson.Raw, ns string) bson.Raw {
	out := bson.D{}
	elems, _ := spec.Elements()
	for _, e := range elems {
		if e.Key() == "ns" {
			continue
		}
		out = append(out, bson.E{Key: e.Key(), Value: e.Value()})
		if e.Key() == "name" {
			out = append(out, bson.E{Key: "ns", Value: ns})
		}
	}
	return mustMarshal(out)
}

// multikeyPaths is {field: BinData(0) with one zero byte per path component}; text, 2d and
// geoHaystack indexes do not track paths (ok=false).
func multikeyPaths(spec bson.Raw) (bson.D, bool) {
	key, _ := spec.Lookup("key").DocumentOK()
	elems, _ := key.Elements()
	paths := bson.D{}
	for _, e := range elems {
		if s, isStr := e.Value().StringValueOK(); isStr && (s == "text" || s == "2d" || s == "geoHaystack") {
			return nil, false
		}
		n := strings.Count(e.Key(), ".") + 1
		paths = append(paths, bson.E{Key: e.Key(), Value: primitive.Binary{Subtype: 0, Data: make([]byte, n)}})
	}
	return paths, true
}

// featureDocument is the catalog's feature-tracking entry (3.4-5.0): the repairable bit 1 is
// path-level multikey tracking.
func featureDocument() bson.Raw {
	return mustMarshal(bson.D{{Key: "isFeatureDoc", Value: true}, {Key: "ns", Value: nil},
		{Key: "nonRepairable", Value: int64(0)}, {Key: "repairable", Value: int64(1)}})
}

// sizeStorerEntry is the value of "table:<ident>" in sizeStorer.wt.
func sizeStorerEntry(numRecords, dataSize int64) bson.Raw {
	return mustMarshal(bson.D{{Key: "numRecords", Value: numRecords}, {Key: "dataSize", Value: dataSize}})
}

// indexFormatVersion is the formatVersion WiredTigerIndex records in app_metadata: KeyString
// V0 (index v:1) = 6, V1 (v:2) = 8; from 4.2 unique secondary indexes use 11 (v:1) / 12 (v:2).
func indexFormatVersion(ix *Index, major string) int {
	v1 := false
	if n, ok := ix.Spec.Lookup("v").AsInt64OK(); ok && n == 1 {
		v1 = true
	}
	unique, _ := ix.Spec.Lookup("unique").BooleanOK()
	switch {
	case unique && ix.Name != "_id_" && majorAtLeast(major, "4.2") && v1:
		return 11
	case unique && ix.Name != "_id_" && majorAtLeast(major, "4.2"):
		return 12
	case v1:
		return 6
	}
	return 8
}

// indexAppMetadata is an index table's app_metadata: before 4.2 it also carries the spec
// (with ns) as infoObj, printed the way mongod's BSONObj::jsonString prints it.
func indexAppMetadata(ix *Index, ns, major string) string {
	s := "(formatVersion=" + itoa(indexFormatVersion(ix, major))
	if !majorAtLeast(major, "4.2") {
		s += ",infoObj=" + legacyJSON(specWithNS(ix.Spec, ns))
	}
	return s + ")"
}

// legacyJSON prints a document as `{ "k" : v, ... }` (mongod's legacy jsonString).
func legacyJSON(doc bson.Raw) string {
	var sb strings.Builder
	writeJSONDoc(&sb, doc, false)
	return sb.String()
}

func writeJSONDoc(sb *strings.Builder, doc bson.Raw, array bool) {
	elems, _ := doc.Elements()
	open, closing := "{ ", " }"
	if array {
		open, closing = "[ ", " ]"
	}
	if len(elems) == 0 {
		sb.WriteString(strings.TrimSpace(open) + strings.TrimSpace(closing))
		return
	}
	sb.WriteString(open)
	for i, e := range elems {
		if i > 0 {
			sb.WriteString(", ")
		}
		if !array {
			sb.WriteString(jsonQuote(e.Key()) + " : ")
		}
		writeJSONValue(sb, e.Value())
	}
	sb.WriteString(closing)
}

func writeJSONValue(sb *strings.Builder, v bson.RawValue) {
	switch v.Type {
	case bsontype.EmbeddedDocument:
		writeJSONDoc(sb, v.Document(), false)
	case bsontype.Array:
		writeJSONDoc(sb, v.Array(), true)
	case bsontype.String:
		sb.WriteString(jsonQuote(v.StringValue()))
	case bsontype.Int32:
		sb.WriteString(itoa(int(v.Int32())))
	case bsontype.Int64:
		sb.WriteString(`{ "$numberLong" : "` + itoa(int(v.Int64())) + `" }`)
	case bsontype.Double:
		sb.WriteString(shellValue(v))
	case bsontype.Boolean:
		sb.WriteString(shellValue(v))
	case bsontype.Null:
		sb.WriteString("null")
	default:
		sb.WriteString(v.String())
	}
}

// jsonQuote quotes s with JSON escapes for '"', '\\' and control characters.
func jsonQuote(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r < 0x20:
			sb.WriteString(`\u00`)
			sb.WriteByte("0123456789abcdef"[r>>4])
			sb.WriteByte("0123456789abcdef"[r&15])
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
