package wiredtiger

// nextInLeaf decodes the next key (and its value, if any) of the current
// leaf page. ok is false without an error when the record is removed.
func (c *Cursor) nextInLeaf() (ok bool, err error) {
	var kc cell
	at := c.leafOff
	if why := kc.unpack(c.leaf, at, c.leafHdr.flags); why != "" {
		return false, c.leafCorrupt(at, why)
	}
	c.leafOff, c.leafLeft = kc.end, c.leafLeft-1
	key, err := c.buildKey(&kc, at)
	if err != nil {
		return false, err
	}
	value := c.leaf[at:at] // a key without a value cell has an empty value
	c.tw = TimeWindow{}
	if c.leafLeft > 0 {
		var vc cell
		vat := c.leafOff
		if why := vc.unpack(c.leaf, vat, c.leafHdr.flags); why != "" {
			return false, c.leafCorrupt(vat, why)
		}
		switch vc.typ {
		case cellKey, cellKeyOvfl:
			// The next key: this one has an empty value.
		case cellValue, cellValueOvfl:
			c.leafOff, c.leafLeft = vc.end, c.leafLeft-1
			c.tw = vc.tw
			if vc.tw.HasStop {
				c.stats.Removed++
				return false, nil
			}
			value = vc.data
			if vc.typ == cellValueOvfl {
				if value, err = c.readOverflow(vc.data, vat); err != nil {
					return false, err
				}
			}
		case cellValueOvflRM, cellKeyOvflRM:
			return false, c.leafCorrupt(vat, "overflow item marked removed (an in-memory state never written by WiredTiger)")
		case cellDel:
			return false, c.leafCorrupt(vat, "deleted-value cell (column-store only) on a row-store leaf page")
		default:
			return false, c.leafCorrupt(vat, "unexpected cell type on a leaf page")
		}
	}
	c.key, c.value = key, value
	return true, nil
}

// buildKey returns the full key of a key cell, undoing prefix compression
// (against the previous non-overflow key of the page) and reading overflow
// keys from their blocks.
func (c *Cursor) buildKey(kc *cell, at int) ([]byte, error) {
	switch kc.typ {
	case cellKey:
	case cellKeyOvfl:
		data, err := c.readOverflow(kc.data, at)
		if err != nil {
			return nil, err
		}
		c.ovKey = append(c.ovKey[:0], data...)
		return c.ovKey, nil
	case cellKeyOvflRM:
		return nil, c.leafCorrupt(at, "overflow key marked removed (an in-memory state never written by WiredTiger)")
	default:
		return nil, c.leafCorrupt(at, "expected a key cell on a leaf page")
	}
	if kc.prefix == 0 {
		c.last, c.lastInBuf = kc.data, false
		return kc.data, nil
	}
	p := int(kc.prefix)
	if p > len(c.last) {
		return nil, c.leafCorrupt(at, "key shares more bytes with the previous key than it has")
	}
	if c.lastInBuf {
		c.keyBuf = append(c.keyBuf[:p], kc.data...)
	} else {
		c.keyBuf = append(append(c.keyBuf[:0], c.last[:p]...), kc.data...)
		c.lastInBuf = true
	}
	c.last = c.keyBuf
	return c.keyBuf, nil
}

// readOverflow reads an overflow item (a key or value too large for its
// page, stored in a block of its own).
func (c *Cursor) readOverflow(cookie []byte, at int) ([]byte, error) {
	a, ok := c.t.bf.decodeAddr(cookie)
	if !ok || a.empty() {
		return nil, c.leafCorrupt(at, "bad overflow address")
	}
	img, h, err := c.readPage(a, &c.ovfl)
	if err != nil {
		return nil, err
	}
	if h.typ != pageOverflow {
		return nil, corruptAt(c.t.Path, a.off, "page type %d where an overflow item was expected", h.typ)
	}
	if int64(h.entries) > int64(len(img)-pageDataStart) {
		return nil, corruptAt(c.t.Path, a.off, "overflow item of %d bytes does not fit its %d-byte page", h.entries, len(img))
	}
	return img[pageDataStart : pageDataStart+int(h.entries)], nil
}

func (c *Cursor) leafCorrupt(at int, why string) error {
	return corruptInPage(c.t.Path, c.leafAddr.off, at, "leaf page: %s", why)
}
