package wiredtiger

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
)

// On-disk constants of WiredTiger's block manager (src/include/block.h).
const (
	blockMagic          = 120897 // WT_BLOCK_MAGIC, first word of every .wt file
	blockMajorVersion   = 1
	blockMinorVersion   = 0
	descSize            = 16 // WT_BLOCK_DESC: magic, major, minor, checksum, unused
	pageHeaderSize      = 28 // WT_PAGE_HEADER
	blockHeaderSize     = 12 // WT_BLOCK_HEADER: disk_size, checksum, flags, unused[3]
	pageDataStart       = pageHeaderSize + blockHeaderSize
	compressSkip        = 64 // WT_BLOCK_COMPRESS_SKIP: bytes stored uncompressed
	blockDataChecksum   = 0x01
	checkpointVersion   = 1 // WT_BM_CHECKPOINT_VERSION
	cookieFlagObjectID  = 0x01
	defaultAllocSize    = 4096
	maxAllocSize        = 128 << 20
	blockChecksumOffset = pageHeaderSize + 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// blockAddr is a decoded address cookie: where a block lives in the file.
type blockAddr struct {
	off   int64
	size  uint32
	cksum uint32
}

func (a blockAddr) empty() bool { return a.size == 0 }

// blockFile reads and checks blocks of one .wt file.
type blockFile struct {
	path      string
	r         io.ReaderAt
	size      int64
	allocSize int64
	noVerify  bool // fuzzing only: skip checksum verification
}

// checkDesc verifies the file description block at offset 0.
func (bf *blockFile) checkDesc() error {
	if bf.size < bf.allocSize {
		return corruptAt(bf.path, 0, "file is %d bytes, smaller than one %d-byte allocation unit", bf.size, bf.allocSize)
	}
	buf := make([]byte, bf.allocSize)
	if _, err := bf.r.ReadAt(buf, 0); err != nil {
		return ioError(bf.path, 0, err)
	}
	if m := binary.LittleEndian.Uint32(buf); m != blockMagic {
		return corruptAt(bf.path, 0, "magic number %d is not WiredTiger's %d: not a WiredTiger data file", m, blockMagic)
	}
	major, minor := binary.LittleEndian.Uint16(buf[4:]), binary.LittleEndian.Uint16(buf[6:])
	if major > blockMajorVersion || (major == blockMajorVersion && minor > blockMinorVersion) {
		return unsupported(bf.path, "file format version %d.%d is newer than %d.%d", major, minor, blockMajorVersion, blockMinorVersion)
	}
	want := binary.LittleEndian.Uint32(buf[8:])
	if got := checksumZeroed(buf, 8); !bf.noVerify && got != want {
		return corruptAt(bf.path, 0, "description block checksum %#x does not match stored %#x", got, want)
	}
	return nil
}

var zero4 [4]byte

// checksumZeroed is the CRC32C of b with the 4 bytes at zeroAt treated as 0.
func checksumZeroed(b []byte, zeroAt int) uint32 {
	c := crc32.Update(0, castagnoli, b[:zeroAt])
	c = crc32.Update(c, castagnoli, zero4[:])
	return crc32.Update(c, castagnoli, b[zeroAt+4:])
}

// decodeAddr decodes an address cookie: packed (offset/alloc - 1, size/alloc,
// checksum), optionally followed by a flags byte and an object id.
func (bf *blockFile) decodeAddr(cookie []byte) (blockAddr, bool) {
	a, n, ok := bf.unpackAddr(cookie)
	if !ok {
		return blockAddr{}, false
	}
	rest := cookie[n:]
	if len(rest) > 0 {
		if rest[0]&cookieFlagObjectID != 0 {
			id, m := unpackUint(rest[1:])
			if m == 0 || id != 0 {
				return blockAddr{}, false // tiered storage objects are not local blocks
			}
		}
	}
	return a, true
}

// unpackAddr decodes the offset/size/checksum triple at the start of b.
func (bf *blockFile) unpackAddr(b []byte) (blockAddr, int, bool) {
	o, n1 := unpackUint(b)
	if n1 == 0 {
		return blockAddr{}, 0, false
	}
	s, n2 := unpackUint(b[n1:])
	if n2 == 0 {
		return blockAddr{}, 0, false
	}
	c, n3 := unpackUint(b[n1+n2:])
	if n3 == 0 || c > 1<<32-1 {
		return blockAddr{}, 0, false
	}
	n := n1 + n2 + n3
	if s == 0 {
		return blockAddr{}, n, true
	}
	// Range checks against the file size happen when the block is read; here
	// only reject values whose arithmetic would overflow.
	if o >= uint64(1<<62)/uint64(bf.allocSize) || s > (1<<32-1)/uint64(bf.allocSize) {
		return blockAddr{}, 0, false
	}
	return blockAddr{off: int64(o+1) * bf.allocSize, size: uint32(s * uint64(bf.allocSize)), cksum: uint32(c)}, n, true
}

// decodeCheckpoint decodes a checkpoint cookie (the hex "addr" of a
// checkpoint in the metadata) and returns the root page address.
func (bf *blockFile) decodeCheckpoint(cookie []byte) (blockAddr, error) {
	if len(cookie) == 0 {
		return blockAddr{}, nil // a checkpoint of an empty tree
	}
	if cookie[0] != checkpointVersion {
		return blockAddr{}, unsupported(bf.path, "checkpoint cookie version %d (only version %d is known)", cookie[0], checkpointVersion)
	}
	p := 1
	var root blockAddr
	for i := 0; i < 4; i++ { // root, alloc, avail and discard lists
		a, n, ok := bf.unpackAddr(cookie[p:])
		if !ok {
			return blockAddr{}, corruptMeta(bf.path, "checkpoint cookie %s: bad address %d", hexHead(cookie), i)
		}
		if i == 0 {
			root = a
		}
		p += n
	}
	for i := 0; i < 2; i++ { // file size, checkpoint size
		_, n := unpackUint(cookie[p:])
		if n == 0 {
			return blockAddr{}, corruptMeta(bf.path, "checkpoint cookie %s is truncated", hexHead(cookie))
		}
		p += n
	}
	if p < len(cookie) && cookie[p]&cookieFlagObjectID != 0 {
		if id, n := unpackUint(cookie[p+1:]); n == 0 || id != 0 {
			return blockAddr{}, unsupported(bf.path, "checkpoint lives in tiered-storage object %d", id)
		}
	}
	return root, nil
}

// pageHeader is the decoded WT_PAGE_HEADER at the start of every block.
type pageHeader struct {
	recno    uint64
	writeGen uint64
	memSize  uint32
	entries  uint32 // number of cells, or the data length of an overflow page
	typ      uint8
	flags    uint8
	version  uint8
}

// Page types and page flags (src/include/btmem.h).
const (
	pageInvalid      = 0
	pageBlockManager = 1
	pageColFix       = 2
	pageColInt       = 3
	pageColVar       = 4
	pageOverflow     = 5
	pageRowInt       = 6
	pageRowLeaf      = 7

	pageFlagCompressed = 0x01
	pageFlagEncrypted  = 0x08
	pageFlagFTUpdate   = 0x20
)

func parsePageHeader(b []byte) pageHeader {
	return pageHeader{
		recno:    binary.LittleEndian.Uint64(b[0:]),
		writeGen: binary.LittleEndian.Uint64(b[8:]),
		memSize:  binary.LittleEndian.Uint32(b[16:]),
		entries:  binary.LittleEndian.Uint32(b[20:]),
		typ:      b[24],
		flags:    b[25],
		version:  b[27],
	}
}

func ioError(path string, off int64, err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return corruptAt(path, off, "file ends early (truncated file)")
	}
	return fmt.Errorf("read %s at byte offset %d: %w", path, off, err)
}
