package backup

import (
	"context"
	"sync/atomic"
)

// chunk is one buffer of file data on its way to several consumers (hasher,
// archive, copy). Each consumer calls release once; the last one returns the
// buffer to its pool. The number of chunks is fixed, which bounds memory.
type chunk struct {
	buf  []byte
	data []byte // buf[:n]
	off  int64  // offset of data in its file
	refs atomic.Int32
	pool *chunkPool
}

func (c *chunk) release() {
	if c.refs.Add(-1) == 0 {
		c.pool.free <- c
	}
}

type chunkPool struct{ free chan *chunk }

func newChunkPool(count, size int) *chunkPool {
	p := &chunkPool{free: make(chan *chunk, count)}
	for range count {
		p.free <- &chunk{buf: make([]byte, size), pool: p}
	}
	return p
}

// get waits for a free chunk; refs is the number of consumers.
func (p *chunkPool) get(ctx context.Context, refs int) (*chunk, error) {
	select {
	case c := <-p.free:
		c.refs.Store(int32(refs))
		c.data = nil
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
