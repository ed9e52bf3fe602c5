package wttest

import "bytes"

// Page types.
const (
	PageOverflow = 5
	PageRowInt   = 6
	PageRowLeaf  = 7
)

type child struct {
	key  []byte // first key under the child
	addr []byte
	leaf bool
}

// tree writes the leaves and internal levels and returns the root address.
func (w *Writer) tree(kvs []KV) ([]byte, error) {
	leaves, err := w.leaves(kvs)
	if err != nil {
		return nil, err
	}
	if w.spec.RootLeaf {
		if len(leaves) != 1 {
			panic("wttest: RootLeaf needs all records on one page; raise LeafPageMax")
		}
		return leaves[0].addr, nil
	}
	level := leaves
	for {
		var next []child
		for i := 0; i < len(level); i += w.spec.InternalFanout {
			j := min(i+w.spec.InternalFanout, len(level))
			addr, err := w.internal(level[i:j])
			if err != nil {
				return nil, err
			}
			next = append(next, child{key: level[i].key, addr: addr})
		}
		if len(next) == 1 {
			return next[0].addr, nil
		}
		level = next
	}
}

func (w *Writer) internal(kids []child) ([]byte, error) {
	var cells []byte
	for i, k := range kids {
		key := k.key
		if i == 0 {
			key = nil // WiredTiger ignores the first key of an internal page
		}
		cells = append(cells, keyCell(0, key)...)
		typ := byte(cellAddrInt)
		if k.leaf {
			typ = cellAddrLeafNo
		}
		cells = append(cells, refCell(typ, k.addr, nil)...)
	}
	return w.writeBlock(pageImage(PageRowInt, 2*len(kids), cells, 0))
}

// leafState accumulates the cells of one leaf page.
type leafState struct {
	cells   []byte
	entries int
	first   []byte
	last    []byte // previous non-overflow key, for prefix compression
	values  map[string]int
	version byte
}

func (w *Writer) leaves(kvs []KV) ([]child, error) {
	var out []child
	st := &leafState{values: map[string]int{}}
	flush := func() error {
		if st.entries == 0 && !(w.spec.RootLeaf && len(out) == 0) {
			return nil
		}
		addr, err := w.writeBlock(pageImage(PageRowLeaf, st.entries, st.cells, st.version))
		if err != nil {
			return err
		}
		out = append(out, child{key: st.first, addr: addr, leaf: true})
		st = &leafState{values: map[string]int{}}
		return nil
	}
	for _, kv := range kvs {
		if st.entries > 0 && len(st.cells) >= w.spec.LeafPageMax {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		if err := w.addRecord(st, kv); err != nil {
			return nil, err
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

func (w *Writer) addRecord(st *leafState, kv KV) error {
	if st.entries == 0 {
		st.first = kv.Key
	}
	if w.spec.OverflowOver > 0 && len(kv.Key) > w.spec.OverflowOver {
		addr, err := w.overflow(kv.Key)
		if err != nil {
			return err
		}
		st.cells = append(st.cells, refCell(cellKeyOvfl, addr, nil)...)
	} else {
		pfx := 0
		if w.spec.Prefix && st.last != nil {
			for pfx < len(kv.Key) && pfx < len(st.last) && pfx < 255 && kv.Key[pfx] == st.last[pfx] {
				pfx++
			}
		}
		st.cells = append(st.cells, keyCell(pfx, kv.Key[pfx:])...)
		st.last = kv.Key
	}
	st.entries++
	if kv.NoValue {
		return nil
	}
	if !kv.TW.empty() {
		st.version = 1
	}
	cell, err := w.value(st, kv)
	if err != nil {
		return err
	}
	st.cells = append(st.cells, cell...)
	st.entries++
	return nil
}

func (w *Writer) value(st *leafState, kv KV) ([]byte, error) {
	if w.spec.OverflowOver > 0 && len(kv.Value) > w.spec.OverflowOver {
		addr, err := w.overflow(kv.Value)
		if err != nil {
			return nil, err
		}
		return refCell(cellValueOvfl, addr, kv.TW), nil
	}
	here := 40 + len(st.cells)
	if w.spec.ValueCopy && len(kv.Value) > 0 {
		if at, ok := st.values[string(kv.Value)]; ok {
			return copyCell(here-at, kv.TW), nil
		}
		st.values[string(kv.Value)] = here
	}
	return valueCell(kv.Value, kv.TW), nil
}

func (w *Writer) overflow(data []byte) ([]byte, error) {
	img := pageImage(PageOverflow, len(data), data, 0)
	return w.writeBlock(img)
}

// Equal reports whether two records have the same key and value.
func Equal(a, b KV) bool { return bytes.Equal(a.Key, b.Key) && bytes.Equal(a.Value, b.Value) }
