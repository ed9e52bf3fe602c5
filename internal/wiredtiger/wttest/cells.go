package wttest

// Cell type bytes (WiredTiger src/include/cell.h).
const (
	cellKeyShort    = 0x01
	cellKeyShortPfx = 0x02
	cellValueShort  = 0x03
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
)

// TW is a value's time window. Zero fields are not written; Stop marks the
// value removed (a stop transaction, and StopTS when set).
type TW struct {
	StartTS, StartTxn, DurableStartTS uint64
	Stop                              bool
	StopTS, StopTxn, DurableStopTS    uint64
	Prepare                           bool
}

func (tw *TW) empty() bool {
	return tw == nil || (*tw == TW{})
}

// appendWindow writes the second descriptor byte and the time window.
func appendWindow(b []byte, tw *TW) []byte {
	flags := byte(0)
	var vals []byte
	if tw.StartTS != 0 {
		flags |= 0x08
		vals = PackUint(vals, tw.StartTS)
	}
	if tw.StartTxn != 0 {
		flags |= 0x20
		vals = PackUint(vals, tw.StartTxn)
	}
	if tw.DurableStartTS > tw.StartTS {
		flags |= 0x02
		vals = PackUint(vals, tw.DurableStartTS-tw.StartTS)
	}
	if tw.Stop {
		stopTS := tw.StopTS
		if stopTS < tw.StartTS {
			stopTS = tw.StartTS
		}
		if tw.StopTS != 0 {
			flags |= 0x10
			vals = PackUint(vals, stopTS-tw.StartTS)
		}
		flags |= 0x40
		stopTxn := tw.StopTxn
		if stopTxn < tw.StartTxn {
			stopTxn = tw.StartTxn
		}
		vals = PackUint(vals, stopTxn-tw.StartTxn)
		if tw.DurableStopTS > stopTS {
			flags |= 0x04
			vals = PackUint(vals, tw.DurableStopTS-stopTS)
		}
	}
	if tw.Prepare {
		flags |= 0x01
	}
	b = append(b, flags)
	return append(b, vals...)
}

// KeyCell builds a key cell (exported for hand-made pages).
func KeyCell(prefix int, data []byte) []byte { return keyCell(prefix, data) }

// ValueCell builds a value cell (exported for hand-made pages).
func ValueCell(data []byte, tw *TW) []byte { return valueCell(data, tw) }

// RefCell builds an address or overflow cell of type typ (exported for
// hand-made pages): CellAddrInt, CellAddrLeaf, CellAddrDel, CellKeyOvfl, CellValueOvfl.
func RefCell(typ byte, cookie []byte) []byte { return refCell(typ, cookie, nil) }

// Cell types for RefCell.
const (
	CellAddrDel   = cellAddrDel
	CellAddrInt   = cellAddrInt
	CellAddrLeaf  = cellAddrLeaf
	CellKeyOvfl   = cellKeyOvfl
	CellValueOvfl = cellValueOvfl
)

// keyCell builds a leaf or internal key cell with an optional prefix count.
func keyCell(prefix int, data []byte) []byte { return appendKeyCell(nil, prefix, data) }

func appendKeyCell(b []byte, prefix int, data []byte) []byte {
	switch {
	case len(data) <= 63 && prefix == 0:
		b = append(b, byte(len(data))<<2|cellKeyShort)
	case len(data) <= 63:
		b = append(b, byte(len(data))<<2|cellKeyShortPfx, byte(prefix))
	case prefix == 0:
		b = PackUint(append(b, cellKey), uint64(len(data)-64))
	default:
		b = PackUint(append(b, cellKeyPfx, byte(prefix)), uint64(len(data)-64))
	}
	return append(b, data...)
}

// valueCell builds a value cell, with a time window when tw is set.
func valueCell(data []byte, tw *TW) []byte { return appendValueCell(nil, data, tw) }

func appendValueCell(b []byte, data []byte, tw *TW) []byte {
	if tw.empty() {
		if len(data) <= 63 {
			return append(append(b, byte(len(data))<<2|cellValueShort), data...)
		}
		return append(PackUint(append(b, cellValue), uint64(len(data)-64)), data...)
	}
	b = appendWindow(append(b, cellValue|cellSecondDesc), tw)
	b = PackUint(b, uint64(len(data)))
	return append(b, data...)
}

// refCell builds an address or overflow cell: type, optional window, length, cookie.
func refCell(typ byte, cookie []byte, tw *TW) []byte {
	b := []byte{typ}
	if !tw.empty() {
		b[0] |= cellSecondDesc
		b = appendWindow(b, tw)
	}
	b = PackUint(b, uint64(len(cookie)))
	return append(b, cookie...)
}

// copyCell builds a value-copy cell pointing back back bytes.
func copyCell(back int, tw *TW) []byte {
	b := []byte{cellValueCopy}
	if !tw.empty() {
		b[0] |= cellSecondDesc
		b = appendWindow(b, tw)
	}
	return PackUint(b, uint64(back))
}
