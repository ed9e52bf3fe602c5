package backup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Restore extracts archive into dest, which must not exist or be empty.
// The archive is checked first: its SHA-256 against the manifest (or, for a
// manifest without one, every entry with VerifyArchive). Extraction then
// checks every entry again (name, type, mode, owner, time, size, SHA-256)
// and refuses entries that would land outside dest: "..", absolute paths,
// symlinks pointing outside, anything under a symlink, hard links, devices.
// It writes into a temporary sibling that is renamed to dest only when all
// of it matched and was fsync'd. manifest "" means ManifestPath(archive).
func Restore(ctx context.Context, archive, manifest, dest string, progress func(Progress)) error {
	if manifest == "" {
		manifest = ManifestPath(archive)
	}
	m, err := ReadManifest(manifest)
	if err != nil {
		return err
	}
	if dest, err = filepath.Abs(dest); err != nil {
		return fmt.Errorf("restore destination: %w", err)
	}
	if err := checkEmptyOrMissing(dest, "restore destination"); err != nil {
		return err
	}
	if m.ArchiveSHA256 != "" {
		err = hashArchive(ctx, archive, m, progress)
	} else {
		err = VerifyArchive(ctx, archive, m, progress)
	}
	if err != nil {
		return err
	}
	tmp, err := makeTempDir(dest)
	if err != nil {
		return err
	}
	tw, err := extract(ctx, archive, m, tmp, progress)
	if err == nil {
		err = tw.finish()
	}
	if err == nil {
		err = publishDir(tmp, dest)
	}
	if err != nil {
		if tw != nil {
			tw.abort()
		}
		os.RemoveAll(tmp)
		return verifyCancelled(ctx, archive, fmt.Errorf("restore %s into %s: %w", archive, dest, err))
	}
	return nil
}

// extract writes the archive's entries under root, checking each one.
func extract(ctx context.Context, archive string, m *Manifest, root string, progress func(Progress)) (*treeWriter, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	total, files := totals(m.Files)
	meter := startMeter(progress, PhaseRestore, total, files)
	defer meter.stop()
	workers := runtime.GOMAXPROCS(0)
	g, gctx := newGroup(ctx)
	raw := newRawFeed(gctx, g, f, false)
	check := newArchiveCheck(archive, m)
	walk := &archiveWalk{check: check, pool: newChunkPool(readChunks, readChunk), meter: meter,
		hs: newHashers(gctx, g, workers, check.sum), tw: newTreeWriter(gctx, g, root, workers, nil)}
	g.Go(func() error { return walkAll(gctx, raw, walk) })
	return walk.tw, g.Wait()
}
