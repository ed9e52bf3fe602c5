package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// rawFeed reads an archive file in chunks on its own goroutine, handing each
// chunk to an optional SHA-256 goroutine and to the decompressor (Read).
type rawFeed struct {
	ctx   context.Context
	path  string
	out   chan *chunk
	cur   *chunk
	pos   int
	sum   string
	bytes int64
}

// newRawFeed starts reading path on g; with hash, its SHA-256 and size are
// available from digest once Read has returned io.EOF and g is done.
func newRawFeed(ctx context.Context, g *group, f *os.File, hash bool) *rawFeed {
	r := &rawFeed{ctx: ctx, path: f.Name(), out: make(chan *chunk, 4)}
	pool := newChunkPool(6, readChunk)
	var sums chan *chunk
	if hash {
		sums = make(chan *chunk, 4)
		g.Go(func() error { return r.hashLoop(sums) })
	}
	g.Go(func() error { return r.readLoop(f, pool, sums) })
	return r
}

func (r *rawFeed) readLoop(f *os.File, pool *chunkPool, sums chan *chunk) error {
	defer close(r.out)
	if sums != nil {
		defer close(sums)
	}
	refs := 1
	if sums != nil {
		refs = 2
	}
	for {
		c, err := pool.get(r.ctx, refs)
		if err != nil {
			return err
		}
		n, rerr := io.ReadFull(f, c.buf)
		c.data = c.buf[:n]
		if n > 0 {
			if sums != nil {
				if err := send(r.ctx, sums, c); err != nil {
					return err
				}
			}
			if err := send(r.ctx, r.out, c); err != nil {
				return err
			}
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("read backup archive %s: %w", r.path, rerr)
		}
	}
}

func (r *rawFeed) hashLoop(in <-chan *chunk) error {
	h := sha256.New()
	var n int64
	for c := range in {
		h.Write(c.data)
		n += int64(len(c.data))
		c.release()
	}
	r.sum, r.bytes = hex.EncodeToString(h.Sum(nil)), n
	return nil
}

func (r *rawFeed) Read(p []byte) (int, error) {
	for r.cur == nil || r.pos == len(r.cur.data) {
		if r.cur != nil {
			r.cur.release()
			r.cur = nil
		}
		select {
		case c, ok := <-r.out:
			if !ok {
				return 0, io.EOF
			}
			r.cur, r.pos = c, 0
		case <-r.ctx.Done():
			return 0, r.ctx.Err()
		}
	}
	n := copy(p, r.cur.data[r.pos:])
	r.pos += n
	return n, nil
}

// decompress sniffs the archive's format from its first bytes.
func decompress(raw io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(raw, 64<<10)
	head, err := br.Peek(4)
	if err != nil && len(head) == 0 {
		return nil, nil, fmt.Errorf("archive is empty or unreadable: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("open gzip stream: %w", err)
		}
		return zr, func() { zr.Close() }, nil
	case bytes.HasPrefix(head, zstdMagic):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(64<<20))
		if err != nil {
			return nil, nil, fmt.Errorf("open zstd stream: %w", err)
		}
		return zr, zr.Close, nil
	}
	return br, func() {}, nil
}

// entryType maps a tar header to an entry type, refusing everything that is
// not a regular file, a directory or a symlink.
func entryType(h *tar.Header) (string, error) {
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeRegA:
		return TypeFile, nil
	case tar.TypeDir:
		return TypeDir, nil
	case tar.TypeSymlink:
		return TypeSymlink, nil
	case tar.TypeLink:
		return "", fmt.Errorf("archive entry %q is a hard link (to %q); refusing it", h.Name, h.Linkname)
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		return "", fmt.Errorf("archive entry %q is a device or fifo; refusing it", h.Name)
	}
	return "", fmt.Errorf("archive entry %q has unsupported type %q; refusing it", h.Name, h.Typeflag)
}
