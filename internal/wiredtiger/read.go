package wiredtiger

import (
	"encoding/binary"
)

// DefaultMaxPageSize is the largest decoded page the reader accepts unless
// Options.MaxPageSize says otherwise: WiredTiger's own limit
// (WT_BTREE_PAGE_SIZE_MAX).
const DefaultMaxPageSize = 512 << 20

// pageBuf holds the reusable buffers of one level of a tree walk.
type pageBuf struct {
	raw []byte // the block as read from disk
	mem []byte // the decompressed page, when the block is compressed
}

func grow(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	return make([]byte, n, n+n/8)
}

// readPage reads the block at a, verifies its checksums and returns the
// decoded page image (header included) and its header. The image lives in
// pb's buffers and stays valid until pb is reused.
func (c *Cursor) readPage(a blockAddr, pb *pageBuf) ([]byte, pageHeader, error) {
	t := c.t
	bf := &t.bf
	if a.off < bf.allocSize || a.off > bf.size || int64(a.size) > bf.size-a.off {
		return nil, pageHeader{}, corruptAt(bf.path, a.off, "block of %d bytes lies outside the %d-byte file (truncated or damaged file)", a.size, bf.size)
	}
	if a.size < compressSkip {
		return nil, pageHeader{}, corruptAt(bf.path, a.off, "block of %d bytes is too small to hold a page", a.size)
	}
	if c.budget -= int64(a.size); c.budget < 0 {
		return nil, pageHeader{}, corruptAt(bf.path, a.off, "the tree references more blocks than the file holds "+
			"(pages shared between parents or a cycle)")
	}
	c.stats.Blocks++
	c.stats.DiskBytes += int64(a.size)
	raw := grow(pb.raw, int(a.size))
	pb.raw = raw
	if _, err := bf.r.ReadAt(raw, a.off); err != nil {
		return nil, pageHeader{}, ioError(bf.path, a.off, err)
	}
	if err := verifyBlock(bf, a, raw); err != nil {
		return nil, pageHeader{}, err
	}
	h := parsePageHeader(raw)
	if h.flags&pageFlagEncrypted != 0 {
		return nil, h, unsupported(bf.path, "block at byte offset %d is encrypted", a.off)
	}
	if h.memSize < pageDataStart || int64(h.memSize) > t.maxPage {
		return nil, h, corruptAt(bf.path, a.off, "page header gives an in-memory size of %d bytes", h.memSize)
	}
	if h.flags&pageFlagCompressed == 0 {
		if h.memSize > a.size {
			return nil, h, corruptAt(bf.path, a.off, "uncompressed page of %d bytes does not fit its %d-byte block", h.memSize, a.size)
		}
		return raw[:h.memSize], h, nil
	}
	return c.decompressPage(a, h, raw, pb)
}

// verifyBlock checks the block header's checksum against the address cookie
// and the data: the whole block, or its first 64 bytes when the block was
// written with checksum=uncompressed and compressed.
func verifyBlock(bf *blockFile, a blockAddr, raw []byte) error {
	stored := binary.LittleEndian.Uint32(raw[blockChecksumOffset:])
	flags := raw[pageHeaderSize+8]
	if bf.noVerify {
		return nil
	}
	if stored != a.cksum {
		return corruptAt(bf.path, a.off, "block header checksum %#x differs from the %#x its parent page expects "+
			"(stale or overwritten block)", stored, a.cksum)
	}
	n := compressSkip
	if flags&blockDataChecksum != 0 {
		n = len(raw)
	}
	if got := checksumZeroed(raw[:n], blockChecksumOffset); got != stored {
		return corruptAt(bf.path, a.off, "block checksum mismatch: computed %#x over %d bytes, stored %#x", got, n, stored)
	}
	return nil
}

func (c *Cursor) decompressPage(a blockAddr, h pageHeader, raw []byte, pb *pageBuf) ([]byte, pageHeader, error) {
	bf := &c.t.bf
	if h.memSize < compressSkip {
		return nil, h, corruptAt(bf.path, a.off, "compressed page claims only %d bytes", h.memSize)
	}
	if c.comp == nil {
		return nil, h, corruptAt(bf.path, a.off, "page is marked compressed but the file's metadata names no block_compressor")
	}
	if int64(h.memSize) > int64(a.size)*c.comp.maxRatio()+compressSkip {
		return nil, h, corruptAt(bf.path, a.off, "page header claims %d bytes, more than a %d-byte %s block can hold",
			h.memSize, a.size, c.t.compressorName())
	}
	mem := grow(pb.mem, int(h.memSize))
	pb.mem = mem
	copy(mem, raw[:compressSkip])
	if err := c.comp.decode(mem[compressSkip:], raw[compressSkip:]); err != nil {
		return nil, h, corruptAt(bf.path, a.off, "cannot decompress %s block: %v", c.t.compressorName(), err)
	}
	return mem, h, nil
}

func (t *Table) compressorName() string {
	if t.Compressor == "" {
		return "uncompressed"
	}
	return t.Compressor
}
