package backup

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
)

// VerifyArchive checks an archive against its manifest: every entry's type,
// mode, owner, time, size and SHA-256, that nothing is missing or extra, and
// the SHA-256 of the archive file itself. The archive is read once; file
// data is hashed on several cores while it is decompressed.
func VerifyArchive(ctx context.Context, archive string, m *Manifest, progress func(Progress)) error {
	f, err := os.Open(archive)
	if err != nil {
		return fmt.Errorf("verify backup archive: %w", err)
	}
	defer f.Close()
	total, files := totals(m.Files)
	meter := startMeter(progress, PhaseVerify, total, files)
	g, gctx := newGroup(ctx)
	raw := newRawFeed(gctx, g, f, true)
	check := newArchiveCheck(archive, m)
	walk := &archiveWalk{check: check, pool: newChunkPool(readChunks/2, readChunk), meter: meter,
		hs: newHashers(gctx, g, runtime.GOMAXPROCS(0), check.sum)}
	g.Go(func() error { return walkAll(gctx, raw, walk) })
	err = g.Wait()
	meter.stop()
	if err != nil {
		return verifyCancelled(ctx, archive, err)
	}
	return checkArchiveDigest(archive, m, raw.sum, raw.bytes)
}

// walkAll decompresses raw, walks it, and reads the stream to its end.
func walkAll(ctx context.Context, raw *rawFeed, walk *archiveWalk) error {
	dec, closeDec, err := decompress(raw)
	if err != nil {
		return fmt.Errorf("backup archive %s: %w", walk.check.name, err)
	}
	defer closeDec()
	if err := walk.run(ctx, tar.NewReader(dec)); err != nil {
		return err
	}
	walk.hs.close()
	if walk.tw != nil {
		walk.tw.closeInput()
	}
	if _, err := io.Copy(io.Discard, dec); err != nil {
		return fmt.Errorf("archive %s is damaged after its last entry: %w", walk.check.name, err)
	}
	if _, err := io.Copy(io.Discard, raw); err != nil {
		return err
	}
	return walk.check.missing()
}

func checkArchiveDigest(archive string, m *Manifest, sum string, n int64) error {
	if m.ArchiveBytes != 0 && n != m.ArchiveBytes {
		return fmt.Errorf("backup archive %s is %d bytes, manifest says %d: it was changed or damaged after the backup",
			archive, n, m.ArchiveBytes)
	}
	if m.ArchiveSHA256 != "" && sum != m.ArchiveSHA256 {
		return fmt.Errorf("backup archive %s has SHA-256 %s, manifest says %s: it was changed or damaged after the backup",
			archive, sum, m.ArchiveSHA256)
	}
	return nil
}

// hashArchive checks the SHA-256 of the archive file against the manifest.
func hashArchive(ctx context.Context, archive string, m *Manifest, progress func(Progress)) error {
	f, err := os.Open(archive)
	if err != nil {
		return fmt.Errorf("verify backup archive: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("verify backup archive: %w", err)
	}
	if err := checkArchiveDigest(archive, m, m.ArchiveSHA256, fi.Size()); err != nil {
		return err
	}
	meter := startMeter(progress, PhaseVerify, fi.Size(), 1)
	defer meter.stop()
	h := sha256.New()
	buf := make([]byte, readChunk)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return verifyCancelled(ctx, archive, err)
		}
		k, rerr := f.Read(buf)
		h.Write(buf[:k])
		n += int64(k)
		meter.add(int64(k))
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("read backup archive %s: %w", archive, rerr)
		}
	}
	meter.fileDone()
	return checkArchiveDigest(archive, m, hex.EncodeToString(h.Sum(nil)), n)
}

func verifyCancelled(ctx context.Context, name string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("check of %s cancelled: %w", name, ctx.Err())
	}
	return err
}
