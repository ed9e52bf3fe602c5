package wiredtiger

// Cell descriptor values (src/include/cell.h). A cell's first byte is either
// a "short" key/value (low two bits non-zero, length in the top six bits) or
// a type in the top four bits plus the flags 0x04 (a packed 64-bit value
// follows: RLE count / record number) and 0x08 (a second descriptor byte
// with a time window follows).
const (
	cellKeyShort    = 0x01
	cellKeyShortPfx = 0x02
	cellValueShort  = 0x03
	cell64V         = 0x04
	cellSecondDesc  = 0x08

	cellAddrDel     = 0x00
	cellAddrInt     = 0x10
	cellAddrLeaf    = 0x20
	cellAddrLeafNo  = 0x30
	cellDel         = 0x40
	cellKey         = 0x50
	cellKeyOvfl     = 0x60
	cellKeyPfx      = 0x70
	cellValue       = 0x80
	cellValueCopy   = 0x90
	cellValueOvfl   = 0xa0
	cellValueOvflRM = 0xb0
	cellKeyOvflRM   = 0xc0

	cellSizeAdjust = 64 // long key/value lengths are stored minus 64

	// Second-descriptor flags: which time-window fields follow.
	twPrepare      = 0x01
	twDurableStart = 0x02
	twDurableStop  = 0x04
	twStartTS      = 0x08
	twStopTS       = 0x10
	twStartTxn     = 0x20
	twStopTxn      = 0x40
)

// TimeWindow is the validity window WiredTiger 10+ stores with a value (and
// WiredTiger 3.2+ may store): when the value became visible and, if it has a
// stop, when it was removed. Zero values mean "none"; DurableStartTS equals
// StartTS unless stored separately.
type TimeWindow struct {
	StartTS, StartTxn, DurableStartTS uint64
	StopTS, StopTxn, DurableStopTS    uint64
	HasStop                           bool // a stop time or transaction was written: the value is removed
	Prepared                          bool
}

// cell is one unpacked cell. data aliases the page image.
type cell struct {
	typ    uint8 // cellKey, cellValue (short forms folded in) or another cell type
	prefix uint8 // key prefix-compression byte count
	data   []byte
	tw     TimeWindow
	end    int // page offset just past the cell
}

// unpackCell decodes the cell at page offset off. It returns a non-empty
// reason when the bytes are not a valid cell. pageFlags are the page header
// flags (fast-truncate information depends on them).
func (c *cell) unpack(pg []byte, off int, pageFlags uint8) string {
	if off >= len(pg) {
		return "cell starts past the end of the page"
	}
	b := pg[off]
	c.prefix = 0
	c.tw = TimeWindow{}
	if short := b & 0x03; short != 0 {
		return c.unpackShort(pg, off, b, short)
	}
	raw := b & 0xf0
	p := off + 1
	if raw == cellKeyPfx {
		if p >= len(pg) {
			return "prefix byte past the end of the page"
		}
		c.prefix = pg[p]
		p++
	}
	var why string
	if p, why = c.unpackWindow(pg, p, b, raw); why != "" {
		return why
	}
	if raw == cellAddrDel && pageFlags&pageFlagFTUpdate != 0 {
		for i := 0; i < 3; i++ { // fast-truncate txn id, timestamp, durable timestamp
			if p, why = skipUint(pg, p); why != "" {
				return why
			}
		}
	}
	var v uint64
	if b&cell64V != 0 {
		n := 0
		if v, n = unpackUint(pg[p:]); n == 0 {
			return "bad run-length value"
		}
		p += n
	}
	switch raw {
	case cellValueCopy:
		return c.unpackCopy(pg, off, p, pageFlags)
	case cellDel:
		c.typ, c.data, c.end = cellDel, nil, p
		return ""
	case cellKey, cellKeyPfx, cellValue, cellKeyOvfl, cellKeyOvflRM, cellValueOvfl, cellValueOvflRM,
		cellAddrDel, cellAddrInt, cellAddrLeaf, cellAddrLeafNo:
	default:
		return "unknown cell type"
	}
	size, n := unpackUint(pg[p:])
	if n == 0 {
		return "bad cell data length"
	}
	p += n
	if raw == cellKey || raw == cellKeyPfx || (raw == cellValue && v == 0 && b&cellSecondDesc == 0) {
		size += cellSizeAdjust
	}
	if size > uint64(len(pg)-p) {
		return "cell data runs past the end of the page"
	}
	c.typ = raw
	if raw == cellKeyPfx {
		c.typ = cellKey
	}
	c.data = pg[p : p+int(size)]
	c.end = p + int(size)
	return ""
}

func (c *cell) unpackShort(pg []byte, off int, b, short byte) string {
	n := int(b >> 2)
	start := off + 1
	c.typ = cellKey
	switch short {
	case cellKeyShortPfx:
		if start >= len(pg) {
			return "prefix byte past the end of the page"
		}
		c.prefix = pg[start]
		start++
	case cellValueShort:
		c.typ = cellValue
	}
	if n > len(pg)-start {
		return "short cell runs past the end of the page"
	}
	c.data = pg[start : start+n]
	c.end = start + n
	return ""
}

// unpackWindow decodes the optional second descriptor byte and time window
// of value and address cells; keys must not carry one.
func (c *cell) unpackWindow(pg []byte, p int, b, raw byte) (int, string) {
	if b&cellSecondDesc == 0 {
		return p, ""
	}
	switch raw {
	case cellKey, cellKeyPfx, cellKeyOvfl, cellKeyOvflRM:
		return p, "key cell carries a time window"
	}
	if p >= len(pg) {
		return p, "second descriptor byte past the end of the page"
	}
	flags := pg[p]
	p++
	if flags&0x80 != 0 {
		return p, "unknown time-window flag"
	}
	tw := &c.tw
	tw.Prepared = flags&twPrepare != 0
	fields := [...]struct {
		flag byte
		dst  *uint64
	}{
		{twStartTS, &tw.StartTS}, {twStartTxn, &tw.StartTxn}, {twDurableStart, &tw.DurableStartTS},
		{twStopTS, &tw.StopTS}, {twStopTxn, &tw.StopTxn}, {twDurableStop, &tw.DurableStopTS},
	}
	for _, f := range fields {
		if flags&f.flag == 0 {
			continue
		}
		v, n := unpackUint(pg[p:])
		if n == 0 {
			return p, "bad time-window value"
		}
		*f.dst = v
		p += n
	}
	// Stop values and durable values are stored as differences.
	tw.DurableStartTS += tw.StartTS
	if flags&twStopTS != 0 {
		tw.StopTS += tw.StartTS
	}
	if flags&twStopTxn != 0 {
		tw.StopTxn += tw.StartTxn
	}
	if flags&(twStopTS|twDurableStop) != 0 {
		tw.DurableStopTS += tw.StopTS
	}
	tw.HasStop = flags&(twStopTS|twStopTxn) != 0
	return p, ""
}

// unpackCopy resolves a value-copy cell: a packed offset back to an earlier
// value cell on the same page whose data it shares. The copy keeps its own
// time window.
func (c *cell) unpackCopy(pg []byte, off, p int, pageFlags uint8) string {
	back, n := unpackUint(pg[p:])
	if n == 0 {
		return "bad value-copy offset"
	}
	end := p + n
	if back == 0 || back > uint64(off-pageDataStart) {
		return "value-copy offset points outside the page"
	}
	target := off - int(back)
	if t := pg[target]; t&0x03 == 0 && t&0xf0 == cellValueCopy {
		return "value-copy cell refers to another value-copy cell"
	}
	tw := c.tw
	var orig cell
	if why := orig.unpack(pg, target, pageFlags); why != "" {
		return "value-copy target: " + why
	}
	if orig.typ != cellValue && orig.typ != cellValueOvfl {
		return "value-copy target is not a value cell"
	}
	c.typ, c.data, c.tw, c.end = orig.typ, orig.data, tw, end
	return ""
}

func skipUint(pg []byte, p int) (int, string) {
	_, n := unpackUint(pg[p:])
	if n == 0 {
		return p, "bad packed integer"
	}
	return p + n, ""
}
