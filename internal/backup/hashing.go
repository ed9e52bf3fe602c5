package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash"
)

// hashMsg carries one chunk of file idx, or (c == nil) the end of that file.
type hashMsg struct {
	idx int
	c   *chunk
}

// hashers spreads files over several SHA-256 goroutines: all chunks of a
// file go, in order, to the same one; the next file goes to the next one,
// so small files hash in parallel and a big file overlaps its neighbours.
type hashers struct {
	ctx  context.Context
	in   []chan hashMsg
	next int
	cur  chan hashMsg
}

// newHashers starts n hashers on g; sum receives each file's digest (from
// any hasher goroutine, each idx once).
func newHashers(ctx context.Context, g *group, n int, sum func(idx int, digest string) error) *hashers {
	h := &hashers{ctx: ctx}
	for range n {
		ch := make(chan hashMsg, 8)
		h.in = append(h.in, ch)
		g.Go(func() error { return hashLoop(ctx, ch, sum) })
	}
	return h
}

// start picks the hasher for the next file.
func (h *hashers) start() {
	h.cur = h.in[h.next%len(h.in)]
	h.next++
}

func (h *hashers) chunk(idx int, c *chunk) error { return send(h.ctx, h.cur, hashMsg{idx, c}) }
func (h *hashers) end(idx int) error             { return send(h.ctx, h.cur, hashMsg{idx: idx}) }

// close says no more files will come.
func (h *hashers) close() {
	for _, ch := range h.in {
		close(ch)
	}
}

func hashLoop(ctx context.Context, in <-chan hashMsg, sum func(int, string) error) error {
	var d hash.Hash = sha256.New()
	var buf [sha256.Size]byte
	for {
		var m hashMsg
		var ok bool
		select {
		case m, ok = <-in:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok {
			return nil
		}
		if m.c != nil {
			d.Write(m.c.data)
			m.c.release()
			continue
		}
		if err := sum(m.idx, hex.EncodeToString(d.Sum(buf[:0]))); err != nil {
			return err
		}
		d.Reset()
	}
}
