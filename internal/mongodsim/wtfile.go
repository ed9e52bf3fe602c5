package mongodsim

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

const wtAllocSize = 4096

// liveFile is what the last checkpoint of this process left in one file: the byte range of
// its blocks (everything else in the file is free) and the checkpoint that names them.
type liveFile struct {
	start, end int64
	ck         ckptInfo
	coll       *Collection // collections: whose documents, at which version
	version    uint64
}

// writeTree writes kvs as a new checkpoint of the file at path without touching the blocks of
// the checkpoint the metadata names now, as WiredTiger does: into the free space before them
// when this process knows where they are (prev) and the new tree fits there, else after the end
// of the file. The new blocks are fsynced; the metadata switch comes later. A tree without
// records has no blocks (only the description block is ensured).
func writeTree(path string, spec wttest.Spec, kvs []wttest.KV, prev *liveFile) (*liveFile, error) {
	size, err := fileSize(path)
	if err != nil {
		return nil, err
	}
	fresh := size < wtAllocSize // no file, or not even a description block: nothing references it
	if len(kvs) == 0 {
		if fresh {
			return &liveFile{start: wtAllocSize, end: wtAllocSize}, writeBlocks(path, nil, 0, true)
		}
		return &liveFile{start: wtAllocSize, end: wtAllocSize}, nil
	}
	base := roundUpAlloc(size) // after everything in the file
	front := !fresh && prev != nil && prev.start > wtAllocSize
	if fresh || front {
		base = wtAllocSize // in front of the live blocks, if the tree fits there
	}
	w, root, err := buildTree(spec, kvs, base)
	if err != nil {
		return nil, err
	}
	if front && int64(w.Len()) > prev.start {
		if w, root, err = buildTree(spec, kvs, roundUpAlloc(size)); err != nil {
			return nil, err
		}
	}
	base = int64(w.Len() - len(w.Bytes()))
	if err := writeBlocks(path, w.Bytes(), base, fresh); err != nil {
		return nil, err
	}
	lf := &liveFile{start: base, end: int64(w.Len())}
	lf.ck = ckptInfo{cookie: w.CheckpointCookie(root), size: int64(len(w.Bytes())), writeGen: w.WriteGen()}
	return lf, nil
}

func buildTree(spec wttest.Spec, kvs []wttest.KV, base int64) (*wttest.Writer, []byte, error) {
	w := wttest.NewWriterAt(spec, base)
	root, err := w.Records(kvs)
	if err != nil {
		return nil, nil, fmt.Errorf("build WiredTiger pages: %w", err)
	}
	return w, root, nil
}

func roundUpAlloc(n int64) int64 {
	if n < wtAllocSize {
		return wtAllocSize
	}
	return (n + wtAllocSize - 1) / wtAllocSize * wtAllocSize
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("stat %s: %w", path, err)
	}
	return fi.Size(), nil
}

// writeBlocks writes data at base (and the description block first for a fresh file), then
// fsyncs the file.
func writeBlocks(path string, data []byte, base int64, fresh bool) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if fresh {
		if err = f.Truncate(0); err == nil {
			_, err = f.WriteAt(wttest.DescBlock(wtAllocSize), 0)
		}
	}
	if err == nil && len(data) > 0 {
		_, err = f.WriteAt(data, base)
	}
	if err == nil && fsyncEnabled {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// trimFile drops everything after the live blocks once no checkpoint needs it.
func trimFile(dbpath, name string, lf *liveFile) error {
	path := filepath.Join(dbpath, name)
	size, err := fileSize(path)
	if err != nil || size <= lf.end {
		return err
	}
	if err := os.Truncate(path, lf.end); err != nil {
		return fmt.Errorf("truncate %s to %d bytes: %w", path, lf.end, err)
	}
	return nil
}
