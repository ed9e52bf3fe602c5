package mongodsim

import (
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
)

// cmdAggregate supports the small pipeline subset drivers use for counting and paging:
// $match (equality), $sort, $skip, $limit, $project (top-level), $count and
// $group {_id: <constant>, <field>: {$sum: 1}}.
func cmdAggregate(c *cmdCtx) (bson.D, error) {
	coll, err := c.collectionArg()
	if err != nil {
		return nil, err
	}
	pv, _ := c.arg("pipeline")
	arr, ok := pv.ArrayOK()
	if !ok {
		return nil, errf(codeTypeMismatch, "'pipeline' option must be specified as an array")
	}
	var docs []bson.Raw
	if col := c.s.r.state.Collection(c.db, coll); col != nil {
		docs = col.Docs()[:col.Count():col.Count()]
	}
	stages, _ := arr.Values()
	for _, sv := range stages {
		stage, ok := sv.DocumentOK()
		if !ok {
			return nil, errf(codeTypeMismatch, "Each element of the 'pipeline' array must be an object")
		}
		if docs, err = applyStage(stage, docs); err != nil {
			return nil, err
		}
	}
	n := defaultFirstBatch
	if cv, ok := c.arg("cursor"); ok {
		if bs, ok := cv.Document().Lookup("batchSize").AsInt64OK(); ok && bs >= 0 {
			n = int(bs)
		}
	}
	batch, rest := takeBatch(docs, n, nil)
	ns := nsOf(c.db, coll)
	var id int64
	if len(rest) > 0 {
		id = newCursorID()
		c.s.cursors[id] = &cursor{ns: ns, rest: rest}
	}
	return cursorReply(ns, id, "firstBatch", batch), nil
}

func applyStage(stage bson.Raw, docs []bson.Raw) ([]bson.Raw, error) {
	name := firstKey(stage)
	arg := stage.Lookup(name)
	switch name {
	case "$match":
		m, err := parseFilter(arg, true)
		if err != nil {
			return nil, err
		}
		return m.filter(docs), nil
	case "$sort":
		return sortDocs(docs, arg, true)
	case "$skip", "$limit":
		n, ok := arg.AsInt64OK()
		if !ok || n < 0 {
			return nil, errf(codeBadValue, "%s must be a non-negative number", name)
		}
		if name == "$skip" {
			return docs[min(int(n), len(docs)):], nil
		}
		return docs[:min(int(n), len(docs))], nil
	case "$project":
		p, err := parseProjection(arg, true)
		if err != nil {
			return nil, err
		}
		out := make([]bson.Raw, len(docs))
		for i, d := range docs {
			out[i] = p.apply(d)
		}
		return out, nil
	case "$count":
		field, ok := arg.StringValueOK()
		if !ok || field == "" {
			return nil, errf(codeBadValue, "the count field must be a non-empty string")
		}
		if len(docs) == 0 {
			return nil, nil
		}
		return []bson.Raw{mustMarshal(bson.D{{Key: field, Value: int32(len(docs))}})}, nil
	case "$group":
		return groupCount(arg, docs)
	}
	return nil, errf(codeBadValue, "mongodsim: aggregation stage %s is not simulated", name)
}

// groupCount handles {$group: {_id: <constant>, f: {$sum: 1}, ...}}.
func groupCount(arg bson.RawValue, docs []bson.Raw) ([]bson.Raw, error) {
	spec, ok := arg.DocumentOK()
	if !ok {
		return nil, errf(codeBadValue, "a group's fields must be specified in an object")
	}
	out := bson.D{}
	for _, e := range mustElements(spec) {
		if e.Key() == "_id" {
			if s, ok := e.Value().StringValueOK(); ok && len(s) > 0 && s[0] == '$' {
				return nil, errf(codeBadValue, "mongodsim: $group by a field is not simulated")
			}
			out = append(out, bson.E{Key: "_id", Value: e.Value()})
			continue
		}
		acc, ok := e.Value().DocumentOK()
		sum := acc.Lookup("$sum")
		if !ok || firstKey(acc) != "$sum" || (sum.Type != bsontype.Int32 && sum.Type != bsontype.Int64 && sum.Type != bsontype.Double) {
			return nil, errf(codeBadValue, "mongodsim: only {$sum: <number>} accumulators are simulated")
		}
		out = append(out, bson.E{Key: e.Key(), Value: int32(int64(numberOf(sum)) * int64(len(docs)))})
	}
	if len(docs) == 0 {
		return nil, nil
	}
	return []bson.Raw{mustMarshal(out)}, nil
}
