package backup

import (
	"context"
	"fmt"
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
	entries, err := scan(ctx, o.Source, o.Skip, scanMeter.fileDone)
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
	defer func() {
		if r.comp != nil {
			r.comp.close() // after every worker has returned
		}
	}()
	if err := r.open(); err != nil {
		return err
	}
	total, files := totals(r.m.Files)
	r.meter = startMeter(r.o.Progress, PhaseBackup, total, files)
	err := r.pipeline(ctx)
	r.meter.stop()
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
