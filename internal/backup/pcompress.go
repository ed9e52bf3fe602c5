package backup

import (
	"context"
	"fmt"

	"github.com/klauspost/compress"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// compressBlock is the size of the independently compressed blocks. Each
// becomes one gzip member or one zstd frame; gzip -d, zstd -d and tar read
// such concatenations as a single stream.
const compressBlock = 1 << 20

// compressFunc appends the compressed form of src to dst. One per worker.
type compressFunc func(dst, src []byte) ([]byte, error)

// compressor makes the per-worker compressFuncs of one format.
type compressor struct {
	newFunc func() compressFunc
	close   func()
	stored  bool // output is the input (plain tar)
}

func newCompressor(f Format, workers int) (*compressor, error) {
	switch f {
	case FormatTar:
		return &compressor{stored: true, close: func() {}, newFunc: func() compressFunc {
			return func(_, src []byte) ([]byte, error) { return src, nil }
		}}, nil
	case FormatTarGz:
		return &compressor{close: func() {}, newFunc: newGzipFunc}, nil
	case FormatTarZst:
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithEncoderConcurrency(workers), zstd.WithLowerEncoderMem(true))
		if err != nil {
			return nil, fmt.Errorf("start zstd encoder: %w", err)
		}
		return &compressor{close: func() { enc.Close() }, newFunc: func() compressFunc {
			return func(dst, src []byte) ([]byte, error) { return enc.EncodeAll(src, dst), nil }
		}}, nil
	}
	return nil, fmt.Errorf("unknown backup format %q", f)
}

// newGzipFunc compresses each block at BestSpeed, except runs of
// incompressible data (WiredTiger's snappy-compressed pages, FTDC files),
// which are stored: deflate's fastest level still spends most of its time
// looking for matches in random bytes that do not line up with its own
// blocks. Each run becomes its own gzip member.
func newGzipFunc() compressFunc {
	fast, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // valid constant levels cannot fail
	stored, _ := gzip.NewWriterLevel(nil, gzip.NoCompression)
	var aw appendWriter
	return func(dst, src []byte) ([]byte, error) {
		aw.b = dst
		for start := 0; start < len(src); {
			end, pack := nextRun(src, start)
			w := stored
			if pack {
				w = fast
			}
			w.Reset(&aw)
			if _, err := w.Write(src[start:end]); err != nil {
				return nil, err
			}
			if err := w.Close(); err != nil {
				return nil, err
			}
			start = end
		}
		return aw.b, nil
	}
}

// Incompressible data is found by sampling gateSample bytes in the middle of
// every gateBlock: compress.Estimate stays below 0.1 for random bytes and
// is above 0.4 for BSON or JSON documents.
const (
	gateBlock     = 16 << 10
	gateSample    = 1 << 10
	gateThreshold = 0.15
)

// nextRun returns the end of the run of gate blocks starting at start that
// are all compressible, or all not, and which of the two it is.
func nextRun(src []byte, start int) (end int, compressible bool) {
	compressible = worthCompressing(src[start:min(start+gateBlock, len(src))])
	end = min(start+gateBlock, len(src))
	for end < len(src) && worthCompressing(src[end:min(end+gateBlock, len(src))]) == compressible {
		end = min(end+gateBlock, len(src))
	}
	return end, compressible
}

func worthCompressing(b []byte) bool {
	if len(b) < 2*gateSample {
		return true
	}
	mid := len(b)/2 - gateSample/2
	return compress.Estimate(b[mid:mid+gateSample]) >= gateThreshold
}

type appendWriter struct{ b []byte }

func (a *appendWriter) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}

type block struct {
	in, out []byte
	ready   chan error
}

// pwriter is an io.Writer that compresses blocks on several workers and
// hands the results, in order, to sink. Memory is bounded by a fixed pool of
// blocks.
type pwriter struct {
	ctx    context.Context
	cur    *block
	free   chan *block
	jobs   chan *block
	order  chan *block
	outerr chan error
	comp   *compressor
}

// newPWriter starts workers (on g) feeding sink, which is called from one
// goroutine only.
func newPWriter(ctx context.Context, g *group, comp *compressor, workers int, sink func([]byte) error) *pwriter {
	n := 2*workers + 2
	w := &pwriter{ctx: ctx, comp: comp, free: make(chan *block, n), jobs: make(chan *block, n),
		order: make(chan *block, n), outerr: make(chan error, 1)}
	for range n {
		b := &block{in: make([]byte, 0, compressBlock), ready: make(chan error, 1)}
		if !comp.stored {
			b.out = make([]byte, 0, compressBlock+compressBlock/8+4096)
		}
		w.free <- b
	}
	for range workers {
		f := comp.newFunc()
		g.Go(func() error { return w.work(f) })
	}
	g.Go(func() error {
		err := w.output(sink)
		w.outerr <- err
		return err
	})
	return w
}

func (w *pwriter) work(f compressFunc) error {
	for {
		var b *block
		select {
		case b = <-w.jobs:
		case <-w.ctx.Done():
			return w.ctx.Err()
		}
		if b == nil {
			return nil
		}
		out, err := f(b.out[:0], b.in)
		if !w.comp.stored {
			b.out = out
		} else {
			b.out = b.in
		}
		b.ready <- err
	}
}

func (w *pwriter) output(sink func([]byte) error) error {
	for {
		var b *block
		select {
		case b = <-w.order:
		case <-w.ctx.Done():
			return w.ctx.Err()
		}
		if b == nil {
			return nil
		}
		var err error
		select {
		case err = <-b.ready:
		case <-w.ctx.Done():
			return w.ctx.Err()
		}
		if err != nil {
			return fmt.Errorf("compress archive: %w", err)
		}
		if err := sink(b.out); err != nil {
			return err
		}
		b.in = b.in[:0]
		w.free <- b
	}
}

func (w *pwriter) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		if w.cur == nil {
			select {
			case w.cur = <-w.free:
			case <-w.ctx.Done():
				return total - len(p), w.ctx.Err()
			}
		}
		b := w.cur
		n := copy(b.in[len(b.in):cap(b.in)], p)
		b.in = b.in[:len(b.in)+n]
		p = p[n:]
		if len(b.in) == cap(b.in) {
			w.submit()
		}
	}
	return total, nil
}

// submit queues the current block; the channels hold every block, so this
// never blocks.
func (w *pwriter) submit() {
	w.order <- w.cur
	w.jobs <- w.cur
	w.cur = nil
}

// Close compresses what is buffered, waits until sink has everything and
// returns the first error. The compressor is closed by its owner once every
// worker has returned.
func (w *pwriter) Close() error {
	if w.cur != nil && len(w.cur.in) > 0 {
		w.submit()
	}
	close(w.jobs)
	close(w.order)
	select {
	case err := <-w.outerr:
		return err
	case <-w.ctx.Done():
		return w.ctx.Err()
	}
}
