package wiredtiger

import (
	"errors"
	"fmt"
)

// ErrCorrupt is matched (errors.Is) by every error that reports damaged or
// hostile on-disk data, as opposed to I/O errors or unsupported features.
var ErrCorrupt = errors.New("corrupt WiredTiger data")

// ErrUnsupported is matched by errors for valid files that use a feature this
// reader does not implement (encryption, column stores, tiered storage, ...).
var ErrUnsupported = errors.New("unsupported WiredTiger feature")

// CorruptError names the file and the byte offset where damaged data was found.
// Offset is a file offset; when the damage is inside a decoded (possibly
// decompressed) page, Block is the file offset of that page's block and
// PageOffset the offset inside the decoded page image.
type CorruptError struct {
	Path       string
	Offset     int64 // file offset of the damaged structure (the block, for page contents); -1 for metadata
	PageOffset int   // offset inside the decoded page image, or -1
	Reason     string
}

func (e *CorruptError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("%s: the WiredTiger metadata describing this file is damaged: %s "+
			"(WiredTiger.wt or WiredTiger.turtle is corrupt; restore the data directory from a backup)", e.Path, e.Reason)
	}
	where := fmt.Sprintf("byte offset %d", e.Offset)
	if e.PageOffset >= 0 {
		where = fmt.Sprintf("block at byte offset %d, page byte %d", e.Offset, e.PageOffset)
	}
	return fmt.Sprintf("%s: corrupt data at %s: %s (the file is damaged or not a WiredTiger file; "+
		"restore it from a backup or run mongod --repair on a copy)", e.Path, where, e.Reason)
}

// Is makes errors.Is(err, ErrCorrupt) true for a *CorruptError.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

func corruptAt(path string, off int64, format string, args ...any) error {
	return &CorruptError{Path: path, Offset: off, PageOffset: -1, Reason: fmt.Sprintf(format, args...)}
}

func corruptInPage(path string, block int64, pageOff int, format string, args ...any) error {
	return &CorruptError{Path: path, Offset: block, PageOffset: pageOff, Reason: fmt.Sprintf(format, args...)}
}

func unsupported(path, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s", path, ErrUnsupported, fmt.Sprintf(format, args...))
}

// ErrNotFound is matched by errors for a table that is not in the metadata.
var ErrNotFound = errors.New("not found")

var errNotFound = ErrNotFound

// corruptMeta reports damaged metadata about path (its checkpoint cookie).
func corruptMeta(path, format string, args ...any) error {
	return &CorruptError{Path: path, Offset: -1, PageOffset: -1, Reason: fmt.Sprintf(format, args...)}
}

// hexHead formats at most the first 64 bytes of b as hex.
func hexHead(b []byte) string {
	if len(b) > 64 {
		return fmt.Sprintf("%x...", b[:64])
	}
	return fmt.Sprintf("%x", b)
}
