package backup

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// testHookChunk, set by tests only, runs after each chunk is read.
var testHookChunk func()

type tarMsg struct {
	hdr *tar.Header
	c   *chunk
}

// tarLoop writes headers and data, in order, into the compressor.
func tarLoop(ctx context.Context, in <-chan tarMsg, pw *pwriter) error {
	tw := tar.NewWriter(pw)
	for {
		var m tarMsg
		var ok bool
		select {
		case m, ok = <-in:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok {
			break
		}
		var err error
		if m.hdr != nil {
			err = tw.WriteHeader(m.hdr)
		} else {
			_, err = tw.Write(m.c.data)
			m.c.release()
		}
		if err != nil {
			return fmt.Errorf("write backup archive: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write backup archive: %w", err)
	}
	return pw.Close()
}

// produce walks the entries in order and feeds every stage.
func (r *runner) produce(ctx context.Context) error {
	for i := range r.m.Files {
		e := &r.m.Files[i]
		var err error
		switch e.Type {
		case TypeDir:
			if r.tw != nil {
				err = r.tw.dir(e)
			}
		case TypeSymlink:
			if r.tw != nil {
				err = r.tw.symlink(e)
			}
		}
		if err == nil && e.Type != TypeFile {
			err = r.toTar(ctx, tarMsg{hdr: tarHeader(e)})
		}
		if err == nil && e.Type == TypeFile {
			err = r.file(ctx, i)
		}
		if err != nil {
			return err
		}
	}
	r.hs.close()
	if r.tw != nil {
		r.tw.closeInput()
	}
	if r.tarCh != nil {
		close(r.tarCh)
	}
	return nil
}

func (r *runner) toTar(ctx context.Context, m tarMsg) error {
	if r.tarCh == nil {
		return nil
	}
	return send(ctx, r.tarCh, m)
}

// file reads entry i once, handing every chunk to the hasher, the archive
// and the copy.
func (r *runner) file(ctx context.Context, i int) error {
	e := &r.m.Files[i]
	p := osPath(r.o.Source, e.Path)
	src, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("read source: %w", err)
	}
	defer src.Close()
	if err := unchanged(src, e); err != nil {
		return err
	}
	var of *outFile
	if r.tw != nil {
		if of, err = r.tw.create(e, src); err != nil {
			return err
		}
	}
	if err := r.toTar(ctx, tarMsg{hdr: tarHeader(e)}); err != nil {
		return err
	}
	refs := 1
	if r.tarCh != nil {
		refs++
	}
	if of != nil && !of.cloned {
		refs++
	}
	r.hs.start()
	if err := r.stream(ctx, i, src, of, refs); err != nil {
		return err
	}
	if err := unchanged(src, e); err != nil {
		return err
	}
	if err := r.hs.end(i); err != nil {
		return err
	}
	if of != nil {
		if err := r.tw.done(of); err != nil {
			return err
		}
	}
	r.meter.fileDone()
	return nil
}

// stream reads src to its end in chunks.
func (r *runner) stream(ctx context.Context, i int, src *os.File, of *outFile, refs int) error {
	e := &r.m.Files[i]
	var off int64
	for {
		c, err := r.pool.get(ctx, refs)
		if err != nil {
			return err
		}
		n, rerr := io.ReadFull(src, c.buf)
		if n == 0 || off+int64(n) > e.Size {
			c.refs.Store(1)
			c.release()
		}
		if rerr != nil && !errors.Is(rerr, io.EOF) && !errors.Is(rerr, io.ErrUnexpectedEOF) {
			return fmt.Errorf("read source %s: %w", src.Name(), rerr)
		}
		if off+int64(n) > e.Size {
			return changedError(src.Name(), e.Size, off+int64(n))
		}
		if n == 0 {
			break
		}
		c.data, c.off = c.buf[:n], off
		off += int64(n)
		if err := r.fanOut(ctx, i, c, of); err != nil {
			return err
		}
		r.meter.add(int64(n))
		if testHookChunk != nil {
			testHookChunk()
		}
		if rerr != nil {
			break
		}
	}
	if off != e.Size {
		return changedError(src.Name(), e.Size, off)
	}
	return nil
}

func (r *runner) fanOut(ctx context.Context, i int, c *chunk, of *outFile) error {
	if err := r.hs.chunk(i, c); err != nil {
		return err
	}
	if err := r.toTar(ctx, tarMsg{c: c}); err != nil {
		return err
	}
	if of != nil && !of.cloned {
		return r.tw.write(of, c)
	}
	return nil
}

// unchanged checks that an open source file still matches its entry.
func unchanged(f *os.File, e *Entry) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read source %s: %w", f.Name(), err)
	}
	if !fi.Mode().IsRegular() || fi.Size() != e.Size || !fi.ModTime().Equal(e.ModTime) {
		return fmt.Errorf("source file %s changed while it was being backed up (size %d, now %d; "+
			"modified %s, now %s): is a mongod still using the data directory? Stop it and run again",
			f.Name(), e.Size, fi.Size(), e.ModTime.Format(time.RFC3339Nano), fi.ModTime().Format(time.RFC3339Nano))
	}
	return nil
}

func changedError(p string, want, got int64) error {
	return fmt.Errorf("source file %s changed while it was being backed up (expected %d bytes, read %d): "+
		"is a mongod still using the data directory? Stop it and run again", p, want, got)
}
