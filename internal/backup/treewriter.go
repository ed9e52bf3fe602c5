package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// finalizers is the number of goroutines closing and fsyncing finished
// files. They mostly wait for the disk, so there are more than cores.
const finalizers = 4

// treeWriter fills a new directory tree (the copy, or a restore) from a
// single producer: directories and symlinks are made at once, file data
// arrives as chunks that several writers store at their offsets, leaving
// holes for zero blocks. Finished files are fsync'd by finalizers;
// directories get their modes and times last (finish).
type treeWriter struct {
	ctx    context.Context
	root   string
	chown  bool
	clone  atomic.Bool
	writes chan writeJob
	finals chan *outFile
	writer sync.WaitGroup
	onFile func() // called when a file is complete on disk

	mu   sync.Mutex
	open map[*outFile]struct{}
	dirs []*Entry
}

type outFile struct {
	f       *os.File
	path    string
	e       *Entry
	pending atomic.Int64
	cloned  bool
}

type writeJob struct {
	of *outFile
	c  *chunk
}

func newTreeWriter(ctx context.Context, g *group, root string, workers int, onFile func()) *treeWriter {
	t := &treeWriter{ctx: ctx, root: root, chown: canChown(), onFile: onFile,
		writes: make(chan writeJob, 2*workers), finals: make(chan *outFile, 64), open: map[*outFile]struct{}{}}
	t.clone.Store(true)
	for range workers {
		t.writer.Add(1)
		g.Go(func() error { defer t.writer.Done(); return t.writeLoop() })
	}
	for range finalizers {
		g.Go(t.finalLoop)
	}
	return t
}

// dir creates a directory (the root exists already). Its mode and times are
// applied by finish, once nothing more is written into it.
func (t *treeWriter) dir(e *Entry) error {
	if e.Path != "." {
		p := osPath(t.root, e.Path)
		if err := os.Mkdir(p, 0o700); err != nil {
			return fmt.Errorf("create directory %s: %w", p, err)
		}
	}
	t.dirs = append(t.dirs, e)
	return nil
}

// symlink creates a symlink with its owner and time.
func (t *treeWriter) symlink(e *Entry) error {
	p := osPath(t.root, e.Path)
	if err := os.Symlink(osPath("", e.Link), p); err != nil {
		return fmt.Errorf("create symlink %s: %w", p, err)
	}
	if t.chown {
		if err := lchown(p, e.UID, e.GID); err != nil {
			return err
		}
	}
	return setSymlinkTime(p, e.ModTime)
}

// create starts a file. With src it first tries a copy-on-write clone; if
// that works, no chunks need to be written (cloned reports it).
func (t *treeWriter) create(e *Entry, src *os.File) (of *outFile, err error) {
	p := osPath(t.root, e.Path)
	of = &outFile{path: p, e: e}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if src != nil && t.clone.Load() {
		switch err := cloneFile(src, p); {
		case err == nil:
			of.cloned, flags = true, os.O_WRONLY
		case errors.Is(err, errNoClone):
			t.clone.Store(false)
		default:
			return nil, fmt.Errorf("create %s: %w", p, err)
		}
	}
	if of.f, err = os.OpenFile(p, flags, 0o600); err != nil {
		return nil, fmt.Errorf("create %s: %w", p, err)
	}
	of.pending.Store(1)
	t.mu.Lock()
	t.open[of] = struct{}{}
	t.mu.Unlock()
	return of, nil
}

// write queues c (data at c.off) for of; c is released once stored.
func (t *treeWriter) write(of *outFile, c *chunk) error {
	of.pending.Add(1)
	return send(t.ctx, t.writes, writeJob{of, c})
}

// done says no more chunks will come for of.
func (t *treeWriter) done(of *outFile) error { return t.release(of) }

// closeInput says no more files will come; it must follow the last done.
func (t *treeWriter) closeInput() {
	close(t.writes)
	go func() {
		t.writer.Wait()
		close(t.finals)
	}()
}

func (t *treeWriter) release(of *outFile) error {
	if of.pending.Add(-1) == 0 {
		return send(t.ctx, t.finals, of)
	}
	return nil
}

func (t *treeWriter) writeLoop() error {
	for {
		var j writeJob
		var ok bool
		select {
		case j, ok = <-t.writes:
		case <-t.ctx.Done():
			return t.ctx.Err()
		}
		if !ok {
			return nil
		}
		err := writeSparse(j.of.f, j.c.data, j.c.off)
		if err == nil {
			startWriteback(j.of.f, j.c.off, int64(len(j.c.data)))
		}
		j.c.release()
		if err != nil {
			return fmt.Errorf("write %s: %w", j.of.path, err)
		}
		if err := t.release(j.of); err != nil {
			return err
		}
	}
}

func (t *treeWriter) finalLoop() error {
	for {
		var of *outFile
		var ok bool
		select {
		case of, ok = <-t.finals:
		case <-t.ctx.Done():
			return t.ctx.Err()
		}
		if !ok {
			return nil
		}
		if err := t.finishFile(of); err != nil {
			return err
		}
		if t.onFile != nil {
			t.onFile()
		}
	}
}

// finishFile fixes size, owner, mode and time, then fsyncs and closes.
func (t *treeWriter) finishFile(of *outFile) error {
	f, e := of.f, of.e
	var err error
	if !of.cloned {
		err = f.Truncate(e.Size) // a trailing hole, or nothing
	}
	if err == nil && t.chown {
		err = f.Chown(e.UID, e.GID) // before Chmod: chown clears setuid bits
	}
	if err == nil {
		err = f.Chmod(fileMode(e.Mode))
	}
	if err == nil {
		err = os.Chtimes(of.path, time.Time{}, e.ModTime)
	}
	if err == nil {
		err = f.Sync()
	}
	t.mu.Lock()
	delete(t.open, of)
	t.mu.Unlock()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("finish %s: %w", of.path, err)
	}
	return nil
}

// finish applies directory owners, modes and times, deepest first, and
// fsyncs every directory. Call it after the writers and finalizers are done.
func (t *treeWriter) finish() error {
	for i := len(t.dirs) - 1; i >= 0; i-- {
		e := t.dirs[i]
		p := osPath(t.root, e.Path)
		if t.chown {
			if err := lchown(p, e.UID, e.GID); err != nil {
				return err
			}
		}
		if err := os.Chmod(p, fileMode(e.Mode)); err != nil {
			return fmt.Errorf("set mode of %s: %w", p, err)
		}
		if err := os.Chtimes(p, time.Time{}, e.ModTime); err != nil {
			return fmt.Errorf("set time of %s: %w", p, err)
		}
		if err := syncDir(p); err != nil {
			return err
		}
	}
	return nil
}

// abort closes files still open so the tree can be removed.
func (t *treeWriter) abort() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for of := range t.open {
		of.f.Close()
		delete(t.open, of)
	}
}

// holeBlock is the granularity of hole detection: an all-zero aligned block
// of this size is skipped instead of written.
const holeBlock = 32 << 10

var zeroBlock [holeBlock]byte

// writeSparse writes data at off, skipping all-zero blocks so that the
// filesystem can leave holes there. The caller sets the final size.
func writeSparse(f *os.File, data []byte, off int64) error {
	start := -1
	for i := 0; i < len(data); i += holeBlock {
		seg := data[i:min(i+holeBlock, len(data))]
		if !isZero(seg) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if _, err := f.WriteAt(data[start:i], off+int64(start)); err != nil {
				return err
			}
			start = -1
		}
	}
	if start >= 0 {
		_, err := f.WriteAt(data[start:], off+int64(start))
		return err
	}
	return nil
}

func isZero(b []byte) bool {
	return len(b) == 0 || b[0] == 0 && b[len(b)-1] == 0 && bytes.Equal(b, zeroBlock[:len(b)])
}
