package backup

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
)

// writebackEvery: how often the archive writer asks the kernel to start
// writing the archive out, so the final fsync does not wait for all of it.
const writebackEvery = 8 << 20

// archiveFile is the archive being written under its temporary name; its
// SHA-256 and size are computed as the bytes go to disk.
type archiveFile struct {
	final, tmp string
	f          *os.File
	sum        hash.Hash
	n, synced  int64
}

func createArchive(final string) (*archiveFile, error) {
	if _, err := os.Lstat(final); err == nil {
		return nil, fmt.Errorf("backup archive %s already exists; choose another path or move it away", final)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("check backup archive %s: %w", final, err)
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return nil, fmt.Errorf("create directory for backup archive %s: %w", final, err)
	}
	a := &archiveFile{final: final, tmp: tempSibling(final), sum: sha256.New()}
	f, err := os.OpenFile(a.tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create backup archive: %w", err)
	}
	a.f = f
	return a, nil
}

// write is the sink of the compressor: called from one goroutine.
func (a *archiveFile) write(p []byte) error {
	if _, err := a.f.Write(p); err != nil {
		return fmt.Errorf("write backup archive %s: %w", a.tmp, err)
	}
	a.sum.Write(p)
	a.n += int64(len(p))
	if a.n-a.synced >= writebackEvery {
		startWriteback(a.f, a.synced, a.n-a.synced)
		a.synced = a.n
	}
	return nil
}

// publish fsyncs the archive, renames it to its final name and fsyncs the
// directory.
func (a *archiveFile) publish() error {
	err := a.f.Sync()
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.tmp, a.final)
	}
	if err != nil {
		return fmt.Errorf("finish backup archive %s: %w", a.final, err)
	}
	return syncDir(filepath.Dir(a.final))
}

func (a *archiveFile) abort() {
	a.f.Close()
	os.Remove(a.tmp)
}

func (a *archiveFile) digest() string { return hex.EncodeToString(a.sum.Sum(nil)) }

// tarHeader is the header `tar -C SOURCE .` would write for e. The PAX
// format keeps sub-second modification times; owners are numeric only, so a
// restore keeps the exact uid/gid whatever users exist on the host.
func tarHeader(e *Entry) *tar.Header {
	h := &tar.Header{Name: tarName(e), Mode: int64(e.Mode), Uid: e.UID, Gid: e.GID,
		ModTime: e.ModTime, Format: tar.FormatPAX}
	switch e.Type {
	case TypeFile:
		h.Typeflag, h.Size = tar.TypeReg, e.Size
	case TypeDir:
		h.Typeflag = tar.TypeDir
	case TypeSymlink:
		h.Typeflag, h.Linkname = tar.TypeSymlink, e.Link
	}
	return h
}
