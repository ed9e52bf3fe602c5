package mongodsim

import (
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
	"go.mongodb.org/mongo-driver/x/bsonx/bsoncore"
)

// matcher is an equality-only filter (the simulator's query language).
type matcher struct {
	paths []string
	keys  []string
}

func parseFilter(v bson.RawValue, present bool) (*matcher, error) {
	m := &matcher{}
	if !present || v.Type == bsontype.Null {
		return m, nil
	}
	d, ok := v.DocumentOK()
	if !ok {
		return nil, errf(codeTypeMismatch, "filter must be an object, found %s", v.Type)
	}
	elems, _ := d.Elements()
	for _, e := range elems {
		k, val := e.Key(), e.Value()
		if strings.HasPrefix(k, "$") {
			return nil, errf(codeBadValue, "mongodsim: only equality filters are simulated (unsupported operator %s)", k)
		}
		if sub, ok := val.DocumentOK(); ok && strings.HasPrefix(firstKey(sub), "$") {
			if firstKey(sub) != "$eq" || len(mustElements(sub)) != 1 {
				return nil, errf(codeBadValue, "mongodsim: only equality filters are simulated (unsupported operator %s on %s)", firstKey(sub), k)
			}
			val = sub.Lookup("$eq")
		}
		m.paths = append(m.paths, k)
		m.keys = append(m.keys, valueKey(val))
	}
	return m, nil
}

func mustElements(d bson.Raw) []bson.RawElement {
	e, _ := d.Elements()
	return e
}

func (m *matcher) matches(doc bson.Raw) bool {
	for i, p := range m.paths {
		v, ok := lookupPath(doc, p)
		if !ok {
			v = bson.RawValue{Type: bsontype.Null}
		}
		if valueKey(v) != m.keys[i] {
			return false
		}
	}
	return true
}

func (m *matcher) filter(docs []bson.Raw) []bson.Raw {
	if len(m.paths) == 0 {
		return docs
	}
	var out []bson.Raw
	for _, d := range docs {
		if m.matches(d) {
			out = append(out, d)
		}
	}
	return out
}

// sortDocs applies a sort spec ({$natural: ±1} or fields with ±1) and returns a new slice.
func sortDocs(docs []bson.Raw, v bson.RawValue, present bool) ([]bson.Raw, error) {
	if !present {
		return docs, nil
	}
	spec, ok := v.DocumentOK()
	if !ok {
		return nil, errf(codeTypeMismatch, "sort must be an object, found %s", v.Type)
	}
	type key struct {
		path string
		dir  int
	}
	var keys []key
	for _, e := range mustElements(spec) {
		dir, ok := e.Value().AsInt64OK()
		if !ok || (dir != 1 && dir != -1) {
			return nil, errf(codeBadValue, "mongodsim: sort values must be 1 or -1 (field %s)", e.Key())
		}
		if e.Key() == "$natural" {
			if dir == 1 {
				return docs, nil
			}
			out := make([]bson.Raw, len(docs))
			for i, d := range docs {
				out[len(docs)-1-i] = d
			}
			return out, nil
		}
		keys = append(keys, key{e.Key(), int(dir)})
	}
	out := append([]bson.Raw(nil), docs...)
	get := func(d bson.Raw, p string) bson.RawValue {
		v, ok := lookupPath(d, p)
		if !ok {
			return bson.RawValue{Type: bsontype.Null}
		}
		return v
	}
	sort.SliceStable(out, func(i, j int) bool {
		for _, k := range keys {
			if c := compareValues(get(out[i], k.path), get(out[j], k.path)); c != 0 {
				return c*k.dir < 0
			}
		}
		return false
	})
	return out, nil
}

// projector applies a top-level inclusion or exclusion projection.
type projector struct {
	include map[string]bool
	exclude map[string]bool
	noID    bool
}

func parseProjection(v bson.RawValue, present bool) (*projector, error) {
	if !present {
		return nil, nil
	}
	spec, ok := v.DocumentOK()
	if !ok {
		return nil, errf(codeTypeMismatch, "projection must be an object, found %s", v.Type)
	}
	p := &projector{include: map[string]bool{}, exclude: map[string]bool{}}
	for _, e := range mustElements(spec) {
		k := e.Key()
		if strings.ContainsAny(k, ".$") {
			return nil, errf(codeBadValue, "mongodsim: only top-level field projections are simulated (%s)", k)
		}
		on := truthy(e.Value())
		switch {
		case k == "_id" && !on:
			p.noID = true
		case on:
			p.include[k] = true
		default:
			p.exclude[k] = true
		}
	}
	if len(p.include) > 0 && len(p.exclude) > 0 {
		return nil, errf(31254, "Cannot do exclusion on field %s in inclusion projection", firstMapKey(p.exclude))
	}
	if len(p.include) == 0 && len(p.exclude) == 0 && !p.noID {
		return nil, nil
	}
	return p, nil
}

func firstMapKey(m map[string]bool) string {
	for k := range m {
		return k
	}
	return ""
}

func (p *projector) apply(doc bson.Raw) bson.Raw {
	if p == nil {
		return doc
	}
	idx, out := bsoncore.AppendDocumentStart(nil)
	for _, e := range mustElements(doc) {
		k := e.Key()
		keep := true
		switch {
		case k == "_id":
			keep = !p.noID
		case len(p.include) > 0:
			keep = p.include[k]
		default:
			keep = !p.exclude[k]
		}
		if keep {
			out = append(out, e...)
		}
	}
	out, _ = bsoncore.AppendDocumentEnd(out, idx)
	return out
}
