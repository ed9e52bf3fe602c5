package wiredtiger

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// Upper bounds on how much a block can grow when decompressed, relative to
// its on-disk size. They stop a hostile page header from making the reader
// allocate far more memory than the data could ever decode to.
const (
	snappyMaxRatio = 32    // snappy's format cannot exceed ~21x
	zlibMaxRatio   = 1100  // deflate's format cannot exceed ~1032x
	zstdMaxRatio   = 16384 // generous: 4 KiB blocks up to 64 MiB
)

// decompressor decodes the compressed part of WiredTiger blocks written with
// one block_compressor. WiredTiger's snappy and zstd extensions prefix the
// compressed bytes with their length as a little-endian uint64; zlib writes
// a plain zlib stream.
type decompressor struct {
	name    string // "snappy", "zlib", "zstd" or "" for none
	maxPage int64
	zr      io.ReadCloser
	zsrc    bytes.Reader
	one     [1]byte
	zd      *zstd.Decoder
}

func newDecompressor(name string, maxPage int64) (*decompressor, error) {
	switch name {
	case "", "none", "snappy", "zlib", "zstd":
		if name == "none" {
			name = ""
		}
		return &decompressor{name: name, maxPage: maxPage}, nil
	}
	return nil, fmt.Errorf("%w: block compressor %q (only snappy, zlib, zstd and none are supported)", ErrUnsupported, name)
}

// maxRatio is how many times larger than its block a decoded page may be.
func (d *decompressor) maxRatio() int64 {
	switch d.name {
	case "snappy":
		return snappyMaxRatio
	case "zlib":
		return zlibMaxRatio
	case "zstd":
		return zstdMaxRatio
	}
	return 1
}

// decode decompresses src into exactly len(dst) bytes of dst.
func (d *decompressor) decode(dst, src []byte) error {
	switch d.name {
	case "snappy":
		return d.snappy(dst, src)
	case "zlib":
		return d.zlib(dst, src)
	case "zstd":
		return d.zstd(dst, src)
	}
	return fmt.Errorf("page is marked compressed but the file's configuration names no block_compressor")
}

// lengthPrefixed returns the compressed bytes behind the 8-byte length prefix.
func lengthPrefixed(src []byte) ([]byte, error) {
	if len(src) < 8 {
		return nil, fmt.Errorf("compressed data is shorter than its length prefix")
	}
	n := binary.LittleEndian.Uint64(src)
	if n > uint64(len(src)-8) {
		return nil, fmt.Errorf("compressed length %d exceeds the %d bytes in the block", n, len(src)-8)
	}
	return src[8 : 8+n], nil
}

func (d *decompressor) snappy(dst, src []byte) error {
	s, err := lengthPrefixed(src)
	if err != nil {
		return err
	}
	n, err := snappy.DecodedLen(s)
	if err != nil {
		return fmt.Errorf("snappy: %w", err)
	}
	if n != len(dst) {
		return fmt.Errorf("snappy data decodes to %d bytes, page header says %d", n, len(dst))
	}
	out, err := snappy.Decode(dst, s)
	if err != nil {
		return fmt.Errorf("snappy: %w", err)
	}
	if len(out) != len(dst) || (len(out) > 0 && &out[0] != &dst[0]) {
		return fmt.Errorf("snappy data decoded to an unexpected size")
	}
	return nil
}

func (d *decompressor) zlib(dst, src []byte) error {
	var err error
	d.zsrc.Reset(src)
	if d.zr == nil {
		d.zr, err = zlib.NewReader(&d.zsrc)
	} else {
		err = d.zr.(zlib.Resetter).Reset(&d.zsrc, nil)
	}
	if err != nil {
		return err
	}
	if _, err := io.ReadFull(d.zr, dst); err != nil {
		return fmt.Errorf("zlib data is shorter than the page header's size: %w", err)
	}
	if n, err := d.zr.Read(d.one[:]); n != 0 || err != io.EOF {
		if err == nil || err == io.EOF {
			return fmt.Errorf("zlib data is longer than the page header's size")
		}
		return err
	}
	return nil
}

func (d *decompressor) zstd(dst, src []byte) error {
	s, err := lengthPrefixed(src)
	if err != nil {
		return err
	}
	var h zstd.Header
	if err := h.Decode(s); err != nil {
		return fmt.Errorf("zstd: %w", err)
	}
	if h.HasFCS && h.FrameContentSize != uint64(len(dst)) {
		return fmt.Errorf("zstd frame holds %d bytes, page header says %d", h.FrameContentSize, len(dst))
	}
	if d.zd == nil {
		d.zd, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxMemory(uint64(d.maxPage)), zstd.WithDecoderLowmem(true))
		if err != nil {
			return fmt.Errorf("zstd: %w", err)
		}
	}
	out, err := d.zd.DecodeAll(s, dst[:0])
	if err != nil {
		return fmt.Errorf("zstd: %w", err)
	}
	if len(out) != len(dst) || (len(out) > 0 && &out[0] != &dst[0]) {
		return fmt.Errorf("zstd data decodes to %d bytes, page header says %d", len(out), len(dst))
	}
	return nil
}

// close releases decoder resources.
func (d *decompressor) close() {
	if d.zd != nil {
		d.zd.Close()
		d.zd = nil
	}
}
