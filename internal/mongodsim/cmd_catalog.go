package mongodsim

import (
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

func validDBName(db string) bool {
	return db != "" && !strings.ContainsAny(db, "/\\. \"$\x00")
}

func checkNamespace(db, coll string) error {
	if !validDBName(db) || coll == "" || strings.ContainsAny(coll, "$\x00") {
		return errf(codeInvalidNamespace, "Invalid namespace specified '%s.%s'", db, coll)
	}
	return nil
}

func cmdListDatabases(c *cmdCtx) (bson.D, error) {
	st := c.s.r.state
	nameOnly := false
	if v, ok := c.arg("nameOnly"); ok {
		nameOnly = truthy(v)
	}
	var only string
	if f, ok := c.arg("filter"); ok {
		if d, ok := f.DocumentOK(); ok {
			only, _ = d.Lookup("name").StringValueOK()
		}
	}
	dbs := bson.A{}
	var total int64
	for _, name := range st.Databases() {
		if only != "" && name != only {
			continue
		}
		var size int64
		for _, col := range st.Collections() {
			if col.DB == name {
				size += 4096 + col.DataSize()
			}
		}
		total += size
		if nameOnly {
			dbs = append(dbs, bson.D{{Key: "name", Value: name}})
		} else {
			dbs = append(dbs, bson.D{{Key: "name", Value: name}, {Key: "sizeOnDisk", Value: size}, {Key: "empty", Value: false}})
		}
	}
	out := bson.D{{Key: "databases", Value: dbs}}
	if !nameOnly {
		out = append(out, bson.E{Key: "totalSize", Value: total}, bson.E{Key: "totalSizeMb", Value: total >> 20})
	}
	return out, nil
}

func cmdListCollections(c *cmdCtx) (bson.D, error) {
	st := c.s.r.state
	nameOnly := false
	if v, ok := c.arg("nameOnly"); ok {
		nameOnly = truthy(v)
	}
	var onlyName, onlyType string
	if f, ok := c.arg("filter"); ok {
		if d, ok := f.DocumentOK(); ok {
			onlyName, _ = d.Lookup("name").StringValueOK()
			onlyType, _ = d.Lookup("type").StringValueOK()
		}
	}
	var batch []bson.Raw
	for _, col := range st.Collections() {
		if col.DB != c.db || (onlyName != "" && col.Name != onlyName) || (onlyType != "" && onlyType != "collection") {
			continue
		}
		batch = append(batch, mustMarshal(collectionInfo(c.bin(), col, nameOnly)))
	}
	return cursorReply(c.db+".$cmd.listCollections", 0, "firstBatch", batch), nil
}

func collectionInfo(b Binary, col *Collection, nameOnly bool) bson.D {
	d := bson.D{{Key: "name", Value: col.Name}, {Key: "type", Value: "collection"}}
	if nameOnly {
		return d
	}
	info := bson.D{{Key: "readOnly", Value: false}}
	if col.UUID != nil {
		info = append(info, bson.E{Key: "uuid", Value: primitive.Binary{Subtype: 4, Data: col.UUID}})
	}
	d = append(d, bson.E{Key: "options", Value: col.Options}, bson.E{Key: "info", Value: info})
	if ix := col.IndexByName("_id_"); ix != nil {
		d = append(d, bson.E{Key: "idIndex", Value: indexSpecOut(b, col, ix)})
	}
	return d
}

// indexSpecOut is the spec as listIndexes shows it (with "ns" before 4.4).
func indexSpecOut(b Binary, col *Collection, ix *Index) bson.Raw {
	if !b.IndexSpecHasNS() {
		return ix.Spec
	}
	elems, _ := ix.Spec.Elements()
	var d bson.D
	for _, e := range elems {
		d = append(d, bson.E{Key: e.Key(), Value: e.Value()})
	}
	return mustMarshal(append(d, bson.E{Key: "ns", Value: nsOf(col.DB, col.Name)}))
}

func cmdListIndexes(c *cmdCtx) (bson.D, error) {
	name, err := c.collectionArg()
	if err != nil {
		return nil, err
	}
	col := c.s.r.state.Collection(c.db, name)
	if col == nil {
		return nil, errf(codeNamespaceNotFound, "ns does not exist: %s", nsOf(c.db, name))
	}
	batch := make([]bson.Raw, len(col.Indexes))
	for i, ix := range col.Indexes {
		batch[i] = indexSpecOut(c.bin(), col, ix)
	}
	return cursorReply(c.db+".$cmd.listIndexes."+name, 0, "firstBatch", batch), nil
}

func cmdCreate(c *cmdCtx) (bson.D, error) {
	name, err := c.collectionArg()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(c.db, name); err != nil {
		return nil, err
	}
	opts := bson.D{}
	elems, _ := c.body.Elements()
	for _, e := range elems[1:] {
		if !genericFields[e.Key()] {
			opts = append(opts, bson.E{Key: e.Key(), Value: e.Value()})
		}
	}
	r := c.s.r
	if existing := r.state.Collection(c.db, name); existing != nil {
		if c.bin().LenientCreateDrop() && existing.Options.String() == mustMarshal(opts).String() {
			return bson.D{}, nil
		}
		return nil, errf(codeNamespaceExists, "Collection %s already exists.", nsOf(c.db, name))
	}
	r.createCollection(c.db, name, mustMarshal(opts))
	return bson.D{}, r.persist()
}

func cmdDrop(c *cmdCtx) (bson.D, error) {
	name, err := c.collectionArg()
	if err != nil {
		return nil, err
	}
	r := c.s.r
	if c.db == "admin" && name == "system.version" {
		return nil, errf(codeIllegalOperation, "mongodsim: dropping admin.system.version (it holds the featureCompatibilityVersion document) is not allowed")
	}
	col := r.state.Collection(c.db, name)
	if col == nil {
		if c.bin().LenientCreateDrop() {
			return bson.D{}, nil
		}
		return nil, errf(codeNamespaceNotFound, "ns not found")
	}
	r.state.DropCollection(c.db, name)
	c.s.dropCursorsFor(nsOf(c.db, name))
	return bson.D{{Key: "nIndexesWas", Value: int32(len(col.Indexes))}, {Key: "ns", Value: nsOf(c.db, name)}}, r.persist()
}

func cmdDropDatabase(c *cmdCtx) (bson.D, error) {
	r := c.s.r
	if c.db == "admin" {
		return nil, errf(codeIllegalOperation, "mongodsim: dropping the admin database (it holds the featureCompatibilityVersion document) is not allowed")
	}
	for _, col := range r.state.Collections() {
		if col.DB == c.db {
			r.state.DropCollection(col.DB, col.Name)
			c.s.dropCursorsFor(nsOf(col.DB, col.Name))
		}
	}
	return bson.D{{Key: "dropped", Value: c.db}}, r.persist()
}

func cmdCreateIndexes(c *cmdCtx) (bson.D, error) {
	name, err := c.collectionArg()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(c.db, name); err != nil {
		return nil, err
	}
	v, _ := c.arg("indexes")
	arr, ok := v.ArrayOK()
	if !ok {
		return nil, errf(codeTypeMismatch, "BSON field 'createIndexes.indexes' is the wrong type '%s', expected type 'array'", v.Type)
	}
	specs, _ := arr.Values()
	r := c.s.r
	col := r.state.Collection(c.db, name)
	created := col == nil
	if created {
		col = r.createCollection(c.db, name, nil)
	}
	before := len(col.Indexes)
	for _, sv := range specs {
		spec, ok := sv.DocumentOK()
		if !ok {
			return nil, errf(codeTypeMismatch, "createIndexes: index specification must be an object")
		}
		if err := addIndex(c, col, spec); err != nil {
			if created {
				r.state.DropCollection(c.db, name)
			}
			return nil, err
		}
	}
	out := bson.D{{Key: "createdCollectionAutomatically", Value: created},
		{Key: "numIndexesBefore", Value: int32(before)}, {Key: "numIndexesAfter", Value: int32(len(col.Indexes))}}
	if before == len(col.Indexes) {
		out = append(out, bson.E{Key: "note", Value: "all indexes already exist"})
	}
	return out, r.persist()
}

func addIndex(c *cmdCtx, col *Collection, spec bson.Raw) error {
	key, ok := spec.Lookup("key").DocumentOK()
	if !ok || len(key) <= 5 {
		return errf(codeFailedToParse, "index specification must have a non-empty 'key' object: %s", spec.String())
	}
	name, ok := spec.Lookup("name").StringValueOK()
	if !ok || name == "" {
		return errf(codeFailedToParse, "index specification must have a 'name' string: %s", spec.String())
	}
	for _, ix := range col.Indexes {
		sameKey := ix.Spec.Lookup("key").String() == key.String()
		switch {
		case ix.Name == name && sameKey:
			return nil
		case ix.Name == name:
			return errf(codeIndexKeySpecsConflct, "An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: %s, existing index: %s", spec.String(), ix.Spec.String())
		case sameKey:
			return errf(codeIndexOptionsConflict, "Index already exists with a different name: %s", ix.Name)
		}
	}
	out := bson.D{{Key: "v", Value: c.s.r.indexVersion()}, {Key: "key", Value: key}, {Key: "name", Value: name}}
	elems, _ := spec.Elements()
	for _, e := range elems {
		switch e.Key() {
		case "v", "key", "name", "ns":
		default:
			out = append(out, bson.E{Key: e.Key(), Value: e.Value()})
		}
	}
	if err := col.AddIndex(mustMarshal(out), !c.bin().atLeast("4.4")); err != nil {
		return errf(codeDuplicateKey, "%s", err.Error())
	}
	return nil
}
