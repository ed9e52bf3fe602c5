package mongodsim

import (
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
)

func intArg(c *cmdCtx, name string) (int64, bool, error) {
	v, ok := c.arg(name)
	if !ok || v.Type == bsontype.Null {
		return 0, false, nil
	}
	n, ok := v.AsInt64OK()
	if !ok {
		return 0, false, errf(codeTypeMismatch, "BSON field '%s.%s' is the wrong type '%s', expected a number", c.name, name, v.Type)
	}
	return n, true, nil
}

// selectDocs runs filter, sort and skip for find and count.
func selectDocs(c *cmdCtx, coll, filterField string) ([]bson.Raw, error) {
	var docs []bson.Raw
	if col := c.s.r.state.Collection(c.db, coll); col != nil {
		docs = col.Docs()[:col.Count():col.Count()]
	}
	fv, fok := c.arg(filterField)
	m, err := parseFilter(fv, fok)
	if err != nil {
		return nil, err
	}
	docs = m.filter(docs)
	if c.name == "find" {
		sv, sok := c.arg("sort")
		if docs, err = sortDocs(docs, sv, sok); err != nil {
			return nil, err
		}
	}
	skip, _, err := intArg(c, "skip")
	if err != nil {
		return nil, err
	}
	if skip < 0 {
		return nil, errf(codeBadValue, "skip value must be non-negative, but received: %d", skip)
	}
	if skip >= int64(len(docs)) {
		return nil, nil
	}
	return docs[skip:], nil
}

func cmdFind(c *cmdCtx) (bson.D, error) {
	coll, err := c.collectionArg()
	if err != nil {
		return nil, err
	}
	docs, err := selectDocs(c, coll, "filter")
	if err != nil {
		return nil, err
	}
	pv, pok := c.arg("projection")
	proj, err := parseProjection(pv, pok)
	if err != nil {
		return nil, err
	}
	limit, _, err := intArg(c, "limit")
	if err != nil {
		return nil, err
	}
	single := false
	if v, ok := c.arg("singleBatch"); ok {
		single = truthy(v)
	}
	if limit < 0 {
		limit, single = -limit, true
	}
	if limit > 0 && limit < int64(len(docs)) {
		docs = docs[:limit]
	}
	n := defaultFirstBatch
	if bs, ok, err := intArg(c, "batchSize"); err != nil {
		return nil, err
	} else if ok {
		if bs < 0 {
			return nil, errf(codeBadValue, "BatchSize value must be non-negative, but received: %d", bs)
		}
		n = int(bs)
	}
	var batch, rest []bson.Raw
	if n == 0 && !single {
		rest = docs
	} else {
		batch, rest = takeBatch(docs, n, proj)
	}
	ns := nsOf(c.db, coll)
	var id int64
	if len(rest) > 0 && !single {
		id = newCursorID()
		c.s.cursors[id] = &cursor{ns: ns, rest: rest, proj: proj}
	}
	return cursorReply(ns, id, "firstBatch", batch), nil
}

func cmdGetMore(c *cmdCtx) (bson.D, error) {
	v, _ := c.arg("getMore")
	id, ok := v.Int64OK()
	if !ok {
		return nil, errf(codeTypeMismatch, "BSON field 'getMore.getMore' is the wrong type '%s', expected type 'long'", v.Type)
	}
	collV, _ := c.arg("collection")
	coll, _ := collV.StringValueOK()
	cur, ok := c.s.cursors[id]
	if !ok {
		return nil, errf(codeCursorNotFound, "cursor id %d not found", id)
	}
	if cur.ns != nsOf(c.db, coll) {
		return nil, errf(codeUnauthorized, "Requested getMore on namespace '%s', but cursor belongs to a different namespace %s", nsOf(c.db, coll), cur.ns)
	}
	n := 0
	if bs, ok, err := intArg(c, "batchSize"); err != nil {
		return nil, err
	} else if ok {
		n = int(bs)
	}
	batch, rest := takeBatch(cur.rest, n, cur.proj)
	cur.rest = rest
	if len(rest) == 0 {
		delete(c.s.cursors, id)
		id = 0
	}
	return cursorReply(cur.ns, id, "nextBatch", batch), nil
}

func cmdKillCursors(c *cmdCtx) (bson.D, error) {
	v, _ := c.arg("cursors")
	arr, ok := v.ArrayOK()
	if !ok {
		return nil, errf(codeTypeMismatch, "BSON field 'killCursors.cursors' is the wrong type '%s', expected type 'array'", v.Type)
	}
	vals, _ := arr.Values()
	killed, notFound := bson.A{}, bson.A{}
	for _, cv := range vals {
		id, _ := cv.AsInt64OK()
		if _, ok := c.s.cursors[id]; ok {
			delete(c.s.cursors, id)
			killed = append(killed, id)
		} else {
			notFound = append(notFound, id)
		}
	}
	return bson.D{{Key: "cursorsKilled", Value: killed}, {Key: "cursorsNotFound", Value: notFound},
		{Key: "cursorsAlive", Value: bson.A{}}, {Key: "cursorsUnknown", Value: bson.A{}}}, nil
}

func cmdCount(c *cmdCtx) (bson.D, error) {
	coll, err := c.collectionArg()
	if err != nil {
		return nil, err
	}
	docs, err := selectDocs(c, coll, "query")
	if err != nil {
		return nil, err
	}
	n := int64(len(docs))
	if limit, _, err := intArg(c, "limit"); err != nil {
		return nil, err
	} else if limit != 0 {
		if limit < 0 {
			limit = -limit
		}
		n = min(n, limit)
	}
	return bson.D{{Key: "n", Value: int32(n)}}, nil
}

func cmdInsert(c *cmdCtx) (bson.D, error) {
	coll, err := c.collectionArg()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(c.db, coll); err != nil {
		return nil, err
	}
	docs := c.seqs["documents"]
	if v, ok := c.arg("documents"); ok {
		arr, ok := v.ArrayOK()
		if !ok {
			return nil, errf(codeTypeMismatch, "BSON field 'insert.documents' is the wrong type '%s', expected type 'array'", v.Type)
		}
		vals, _ := arr.Values()
		for _, dv := range vals {
			d, ok := dv.DocumentOK()
			if !ok {
				return nil, errf(codeTypeMismatch, "insert: documents must be objects")
			}
			docs = append(docs, d)
		}
	}
	ordered := true
	if v, ok := c.arg("ordered"); ok {
		ordered = truthy(v)
	}
	r := c.s.r
	col := r.state.Collection(c.db, coll)
	n := 0
	writeErrors := bson.A{}
	for i, d := range docs {
		if col == nil {
			col = r.createCollection(c.db, coll, nil)
		}
		if err := insertOne(c, col, d); err != nil {
			writeErrors = append(writeErrors, bson.D{{Key: "index", Value: int32(i)},
				{Key: "code", Value: err.code}, {Key: "errmsg", Value: err.msg}})
			if ordered {
				break
			}
			continue
		}
		n++
	}
	out := bson.D{{Key: "n", Value: int32(n)}}
	if len(writeErrors) > 0 {
		out = append(out, bson.E{Key: "writeErrors", Value: writeErrors})
	}
	if col != nil {
		if err := r.persist(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func insertOne(c *cmdCtx, col *Collection, d bson.Raw) *cmdError {
	if len(d) > maxBSONSize {
		return errf(codeBadValue, "object to insert too large. size in bytes: %d, max size: %d", len(d), maxBSONSize)
	}
	doc, err := withIDFirst(d)
	if err != nil {
		return errf(codeBadValue, "invalid document: %v", err)
	}
	switch doc.Lookup("_id").Type {
	case bsontype.Array, bsontype.Regex, bsontype.Undefined:
		return errf(codeBadValue, "can't use a %s for _id", doc.Lookup("_id").Type)
	}
	if err := col.Insert(doc, !c.bin().atLeast("4.4")); err != nil {
		return errf(codeDuplicateKey, "%s", err.Error())
	}
	return nil
}
