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

// Read buffers: readChunks of readChunk bytes are all the file data in
// flight between the reader, the hashers, the archive and the copy writers.
const (
	readChunk  = 1 << 20
	readChunks = 16
)

// Run backs up o.Source: one read of each file feeds the SHA-256 in the
// manifest, the archive (o.Archive) and the copy (o.CopyTo). Everything is
// fsync'd and renamed into place before it returns; when an archive is made
// its manifest is written beside it (ManifestPath). On error or cancellation
// only temporary names are left behind, and they are removed when possible.
func Run(ctx context.Context, o Options) (*Manifest, error) {
	o, err := o.normalize()
	if err != nil {
		return nil, err
	}
	scanMeter := startMeter(o.Progress, PhaseScan, 0, 0)
	entries, err := scan(ctx, o.Source, o.Skip)
	scanMeter.stop()
	if err != nil {
		return nil, cancelled(ctx, o.Source, err)
	}
	total, _ := totals(entries)
	m := &Manifest{Version: ManifestVersion, Created: time.Now().UTC(), Source: o.Source,
		Files: entries, TotalBytes: total}
	if o.Archive != "" {
		m.Format, m.Archive = o.Format, o.Archive
	}
	r := &runner{o: o, m: m}
	if err := r.run(ctx); err != nil {
		r.cleanup()
		return nil, cancelled(ctx, o.Source, err)
	}
	return m, nil
}

// cancelled makes the error of a cancelled run say so.
func cancelled(ctx context.Context, src string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("backup of %s cancelled; nothing was left under a final name: %w", src, ctx.Err())
	}
	return err
}

// testHookChunk, set by tests only, runs after each chunk is read.
var testHookChunk func()

type tarMsg struct {
	hdr *tar.Header
	c   *chunk
}

// runner is one Run: its outputs and pipeline stages.
type runner struct {
	o       Options
	m       *Manifest
	copyTmp string
	tw      *treeWriter
	arch    *archiveFile
	comp    *compressor
	tarCh   chan tarMsg
	hs      *hashers
	pool    *chunkPool
	meter   *meter
	// published lists final names already in place, removed on failure.
	published []string
}

func (r *runner) run(ctx context.Context) error {
	if err := r.open(); err != nil {
		return err
	}
	total, files := totals(r.m.Files)
	r.meter = startMeter(r.o.Progress, PhaseBackup, total, files)
	err := r.pipeline(ctx)
	r.meter.stop()
	if r.comp != nil {
		r.comp.close()
	}
	if err != nil {
		return err
	}
	return r.publish()
}

// open creates the temporary outputs.
func (r *runner) open() error {
	var err error
	if r.o.Archive != "" {
		if r.arch, err = createArchive(r.o.Archive); err != nil {
			return err
		}
		if r.comp, err = newCompressor(r.o.Format, r.o.Workers); err != nil {
			return err
		}
	}
	if r.o.CopyTo != "" {
		if r.copyTmp, err = makeTempDir(r.o.CopyTo); err != nil {
			return err
		}
	}
	return nil
}

// pipeline runs the reader and every stage until all data is written.
func (r *runner) pipeline(ctx context.Context) error {
	g, gctx := newGroup(ctx)
	r.pool = newChunkPool(readChunks, readChunk)
	r.hs = newHashers(gctx, g, r.o.Workers, func(idx int, sum string) error {
		r.m.Files[idx].SHA256 = sum
		return nil
	})
	if r.copyTmp != "" {
		r.tw = newTreeWriter(gctx, g, r.copyTmp, r.o.Workers, nil)
	}
	if r.arch != nil {
		pw := newPWriter(gctx, g, r.comp, r.o.Workers, r.arch.write)
		r.tarCh = make(chan tarMsg, 2*readChunks)
		g.Go(func() error { return tarLoop(gctx, r.tarCh, pw) })
	}
	g.Go(func() error { return r.produce(gctx) })
	return g.Wait()
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

// publish flushes the archive and the copy and moves them into place, then
// writes the manifest. Run is all or nothing: if a later step fails,
// cleanup removes what was already published, so the same Run can be tried
// again.
func (r *runner) publish() error {
	syncMeter := startMeter(r.o.Progress, PhaseSync, 0, 0)
	defer syncMeter.stop()
	if r.tw != nil {
		if err := r.tw.finish(); err != nil {
			return err
		}
	}
	if r.arch != nil {
		r.m.ArchiveSHA256, r.m.ArchiveBytes = r.arch.digest(), r.arch.n
		if err := r.arch.publish(); err != nil {
			return err
		}
		r.arch = nil
		r.published = append(r.published, r.o.Archive)
		if err := WriteManifest(ManifestPath(r.o.Archive), r.m); err != nil {
			return err
		}
		r.published = append(r.published, ManifestPath(r.o.Archive))
	}
	if r.tw != nil {
		if err := publishDir(r.copyTmp, r.o.CopyTo); err != nil {
			return err
		}
		r.copyTmp = ""
	}
	return nil
}

// cleanup removes temporary and published outputs after a failure.
func (r *runner) cleanup() {
	if r.tw != nil {
		r.tw.abort()
	}
	if r.copyTmp != "" {
		os.RemoveAll(r.copyTmp)
	}
	if r.arch != nil {
		r.arch.abort()
	}
	for i := len(r.published) - 1; i >= 0; i-- {
		os.Remove(r.published[i])
	}
}
