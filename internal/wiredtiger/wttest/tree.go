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
			key = w.zerothKey() // WiredTiger ignores the first key of an internal page
		}
		cells = appendKeyCell(cells, 0, key)
		typ := byte(cellAddrInt)
		if k.leaf {
			typ = cellAddrLeafNo
		}
		cells = append(cells, w.addrCell(typ, k.addr)...)
	}
	return w.writeBlock(pageImage(PageRowInt, 2*len(kids), cells, w.pageVersion(0)))
}

// zerothKey is the first key of an internal page: empty, or the single byte
// WiredTiger writes there.
func (w *Writer) zerothKey() []byte {
	if w.spec.Format.real() {
		return []byte{0}
	}
	return nil
}

// addrCell builds a child-address cell; WiredTiger 10+ gives it a second
// descriptor byte holding the children's aggregated time window (empty here).
func (w *Writer) addrCell(typ byte, cookie []byte) []byte {
	if w.spec.Format != FormatWT10 {
		return refCell(typ, cookie, nil)
	}
	b := PackUint([]byte{typ | cellSecondDesc, 0}, uint64(len(cookie)))
	return append(b, cookie...)
}

// pageVersion is the page header's version byte: at least want (1 when a
// value has a time window), and 1 for every page of WiredTiger 10+.
func (w *Writer) pageVersion(want byte) byte {
	if w.spec.Format == FormatWT10 {
		return 1
	}
	return want
}

// leafFlags are the page flags of a leaf: real formats say whether every key
// has a value (WT_PAGE_EMPTY_V_NONE) or none has (WT_PAGE_EMPTY_V_ALL).
func (w *Writer) leafFlags(st *leafState) byte {
	if !w.spec.Format.real() || st.entries == 0 {
		return 0
	}
	switch st.noValue {
	case 0:
		return 0x04
	case st.keys:
		return 0x02
	}
	return 0
}

// leafState accumulates the cells of one leaf page.
type leafState struct {
	cells   []byte
	entries int
	first   []byte
	last    []byte // previous non-overflow key, for prefix compression
	values  map[string]int
	version byte
	keys    int // key cells
	noValue int // keys written without a value cell
}

func (w *Writer) leaves(kvs []KV) ([]child, error) {
	var out []child
	st := &leafState{values: map[string]int{}, cells: make([]byte, 0, w.spec.LeafPageMax+4096)}
	flush := func() error {
		if st.entries == 0 && !(w.spec.RootLeaf && len(out) == 0) {
			return nil
		}
		img := pageImage(PageRowLeaf, st.entries, st.cells, w.pageVersion(st.version))
		img[25] = w.leafFlags(st)
		addr, err := w.writeBlock(img)
		if err != nil {
			return err
		}
		out = append(out, child{key: st.first, addr: addr, leaf: true})
		st = &leafState{values: map[string]int{}, cells: st.cells[:0]} // pageImage copied the cells
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
		st.cells = appendKeyCell(st.cells, pfx, kv.Key[pfx:])
		st.last = kv.Key
	}
	st.entries++
	st.keys++
	if kv.NoValue {
		st.noValue++
		return nil
	}
	if !kv.TW.empty() {
		st.version = 1
	}
	cells, err := w.appendValue(st, kv)
	if err != nil {
		return err
	}
	st.cells = cells
	st.entries++
	return nil
}

// appendValue appends kv's value cell to the page's cells.
func (w *Writer) appendValue(st *leafState, kv KV) ([]byte, error) {
	if w.spec.OverflowOver > 0 && len(kv.Value) > w.spec.OverflowOver {
		addr, err := w.overflow(kv.Value)
		if err != nil {
			return nil, err
		}
		return append(st.cells, refCell(cellValueOvfl, addr, kv.TW)...), nil
	}
	here := 40 + len(st.cells)
	if w.spec.ValueCopy && len(kv.Value) > 0 {
		if at, ok := st.values[string(kv.Value)]; ok {
			return append(st.cells, copyCell(here-at, kv.TW)...), nil
		}
		st.values[string(kv.Value)] = here
	}
	return appendValueCell(st.cells, kv.Value, kv.TW), nil
}

func (w *Writer) overflow(data []byte) ([]byte, error) {
	img := pageImage(PageOverflow, len(data), data, 0)
	return w.writeBlock(img)
}

// Equal reports whether two records have the same key and value.
func Equal(a, b KV) bool { return bytes.Equal(a.Key, b.Key) && bytes.Equal(a.Value, b.Value) }
