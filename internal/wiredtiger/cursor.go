package wiredtiger

import "fmt"

// maxTreeDepth bounds the tree walk; real WiredTiger trees are a handful of
// levels deep.
const maxTreeDepth = 64

// CursorStats counts what a cursor has read so far.
type CursorStats struct {
	Blocks    int64 // blocks read (pages and overflow items)
	DiskBytes int64 // on-disk bytes of those blocks
	Removed   int64 // records skipped because their value has a stop time
}

// Cursor iterates a table's key/value pairs in key order, as of the table's
// checkpoint. Use it like bufio.Scanner:
//
//	c := t.Cursor()
//	defer c.Close()
//	for c.Next() {
//		use(c.Key(), c.Value())
//	}
//	if err := c.Err(); err != nil { ... }
//
// Key and Value return slices into the cursor's buffers: they are valid until
// the next call to Next. Memory use is bounded by the tree depth times the
// page size, whatever the table's size.
type Cursor struct {
	t      *Table
	comp   *decompressor
	budget int64 // on-disk bytes the walk may still read (cycle/sharing guard)
	stats  CursorStats

	stack []frame   // internal pages from the root down
	bufs  []pageBuf // one per tree level
	ovfl  pageBuf   // overflow items
	ovKey []byte

	leaf     []byte
	leafAddr blockAddr
	leafHdr  pageHeader
	leafOff  int
	leafLeft uint32

	last, keyBuf []byte // prefix-compression state
	lastInBuf    bool

	key, value []byte
	tw         TimeWindow
	started    bool
	done       bool
	err        error
}

type frame struct {
	img   []byte
	addr  blockAddr
	flags uint8
	off   int
	left  uint32
}

// Cursor returns a new cursor positioned before the first record.
func (t *Table) Cursor() *Cursor {
	comp, err := newDecompressor(t.Compressor, t.maxPage)
	c := &Cursor{t: t, comp: comp, budget: t.bf.size - t.bf.allocSize}
	if err != nil {
		c.err, c.done = fmt.Errorf("%s: %w", t.Path, err), true
	}
	return c
}

// Key returns the current record's key (for key_format=q decode it with
// UnpackRecordID).
func (c *Cursor) Key() []byte { return c.key }

// Value returns the current record's value.
func (c *Cursor) Value() []byte { return c.value }

// TimeWindow returns the current value's validity window.
func (c *Cursor) TimeWindow() TimeWindow { return c.tw }

// Err returns the error that stopped the iteration, if any.
func (c *Cursor) Err() error { return c.err }

// Stats reports what the cursor has read so far.
func (c *Cursor) Stats() CursorStats { return c.stats }

// Close releases the cursor's decoder resources.
func (c *Cursor) Close() {
	if c.comp != nil {
		c.comp.close()
	}
	c.done = true
	c.stack, c.bufs, c.leaf = nil, nil, nil
}

// Next advances to the next live record. It returns false at the end of the
// table or on error (see Err).
func (c *Cursor) Next() bool {
	if c.done {
		return false
	}
	if !c.started {
		c.started = true
		if c.t.root.empty() {
			c.done = true
			return false
		}
		if !c.descend(c.t.root) {
			return false
		}
	}
	for {
		if c.leafLeft > 0 {
			ok, err := c.nextInLeaf()
			if err != nil {
				return c.fail(err)
			}
			if ok {
				return true
			}
			continue
		}
		if !c.nextLeaf() {
			return false
		}
	}
}

func (c *Cursor) fail(err error) bool {
	c.err, c.done = err, true
	c.key, c.value = nil, nil
	return false
}

// nextLeaf walks the internal pages to the next leaf page.
func (c *Cursor) nextLeaf() bool {
	for len(c.stack) > 0 {
		top := &c.stack[len(c.stack)-1]
		if top.left == 0 {
			c.stack = c.stack[:len(c.stack)-1]
			continue
		}
		var cl cell
		if why := cl.unpack(top.img, top.off, top.flags); why != "" {
			return c.fail(corruptInPage(c.t.Path, top.addr.off, top.off, "internal page: %s", why))
		}
		at := top.off
		top.off, top.left = cl.end, top.left-1
		switch cl.typ {
		case cellKey, cellKeyOvfl, cellKeyOvflRM, cellAddrDel:
			continue // separator keys are not needed for a full scan; deleted pages are skipped
		case cellAddrInt, cellAddrLeaf, cellAddrLeafNo:
		default:
			return c.fail(corruptInPage(c.t.Path, top.addr.off, at, "unexpected cell type %#x on an internal page", cl.typ))
		}
		a, ok := c.t.bf.decodeAddr(cl.data)
		if !ok || a.empty() {
			return c.fail(corruptInPage(c.t.Path, top.addr.off, at, "bad child address %x", cl.data))
		}
		if c.descend(a) && c.leafLeft == 0 && len(c.stack) > 0 {
			continue // an internal page or an empty leaf: keep walking
		}
		return !c.done
	}
	c.done = true
	return false
}

// descend reads the page at a: an internal page is pushed on the stack, a
// leaf page becomes the current leaf.
func (c *Cursor) descend(a blockAddr) bool {
	depth := len(c.stack)
	if depth >= maxTreeDepth {
		return c.fail(corruptAt(c.t.Path, a.off, "tree is deeper than %d levels", maxTreeDepth))
	}
	for _, f := range c.stack {
		if f.addr.off == a.off {
			return c.fail(corruptAt(c.t.Path, a.off, "page refers back to its own ancestor (cycle in the tree)"))
		}
	}
	for len(c.bufs) <= depth {
		c.bufs = append(c.bufs, pageBuf{})
	}
	img, h, err := c.readPage(a, &c.bufs[depth])
	if err != nil {
		return c.fail(err)
	}
	switch h.typ {
	case pageRowInt:
		c.stack = append(c.stack, frame{img: img, addr: a, flags: h.flags, off: pageDataStart, left: h.entries})
		c.leafLeft = 0
	case pageRowLeaf:
		c.leaf, c.leafAddr, c.leafHdr = img, a, h
		c.leafOff, c.leafLeft = pageDataStart, h.entries
		c.last, c.lastInBuf = nil, false
	case pageColFix, pageColInt, pageColVar:
		return c.fail(unsupported(c.t.Path, "column-store page at byte offset %d", a.off))
	default:
		return c.fail(corruptAt(c.t.Path, a.off, "page type %d where a B-tree page was expected", h.typ))
	}
	return true
}
