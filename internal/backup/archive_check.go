package backup

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// archiveCheck matches the entries of an archive against a manifest,
// refusing unsafe entries whatever the manifest says.
type archiveCheck struct {
	name  string // archive path, for messages
	m     *Manifest
	idx   map[string]int
	seen  []bool
	links map[string]bool
}

func newArchiveCheck(name string, m *Manifest) *archiveCheck {
	return &archiveCheck{name: name, m: m, idx: m.index(), seen: make([]bool, len(m.Files)), links: map[string]bool{}}
}

// entry checks one header and returns the manifest index it matches.
func (a *archiveCheck) entry(h *tar.Header) (int, error) {
	typ, err := entryType(h)
	if err != nil {
		return 0, err
	}
	rel, err := entryPath(h.Name)
	if err != nil {
		return 0, err
	}
	if link, ok := underSymlink(rel, a.links); ok {
		return 0, fmt.Errorf("archive entry %q lies under symlink %q; refusing to write through a symlink", h.Name, link)
	}
	if typ == TypeSymlink {
		if err := checkLinkTarget(rel, h.Linkname); err != nil {
			return 0, fmt.Errorf("archive entry %q: %w; refusing it", h.Name, err)
		}
		a.links[rel] = true
	}
	i, ok := a.idx[rel]
	if !ok {
		return 0, fmt.Errorf("archive entry %q is not in the manifest; the archive and manifest do not belong together", h.Name)
	}
	if a.seen[i] {
		return 0, fmt.Errorf("archive entry %q appears twice; refusing it", h.Name)
	}
	a.seen[i] = true
	return i, a.compare(h, typ, &a.m.Files[i])
}

// compare reports the first difference between a header and its entry.
func (a *archiveCheck) compare(h *tar.Header, typ string, e *Entry) error {
	diff := func(what string, got, want any) error {
		return fmt.Errorf("archive entry %q: %s is %v, manifest says %v", h.Name, what, got, want)
	}
	switch {
	case typ != e.Type:
		return diff("type", typ, e.Type)
	case typ == TypeFile && h.Size != e.Size:
		return diff("size", h.Size, e.Size)
	case typ == TypeSymlink && h.Linkname != e.Link:
		return diff("symlink target", h.Linkname, e.Link)
	case uint32(h.Mode)&0o7777 != e.Mode:
		return diff("mode", fmt.Sprintf("%#o", h.Mode&0o7777), fmt.Sprintf("%#o", e.Mode))
	case !h.ModTime.Equal(e.ModTime):
		return diff("modification time", h.ModTime, e.ModTime)
	case h.Uid != e.UID || h.Gid != e.GID:
		return diff("owner", fmt.Sprintf("%d:%d", h.Uid, h.Gid), fmt.Sprintf("%d:%d", e.UID, e.GID))
	}
	return nil
}

// sum checks a file's digest; called from the hashers.
func (a *archiveCheck) sum(i int, digest string) error {
	e := &a.m.Files[i]
	if digest != e.SHA256 {
		return fmt.Errorf("archive entry %q: SHA-256 is %s, manifest says %s: the archive is damaged",
			tarName(e), digest, e.SHA256)
	}
	return nil
}

// missing reports manifest entries the archive did not hold.
func (a *archiveCheck) missing() error {
	var miss []string
	for i, ok := range a.seen {
		if !ok {
			miss = append(miss, a.m.Files[i].Path)
		}
	}
	if len(miss) == 0 {
		return nil
	}
	more := ""
	if len(miss) > 5 {
		more = fmt.Sprintf(" and %d more", len(miss)-5)
		miss = miss[:5]
	}
	return fmt.Errorf("archive %s lacks %s%s listed in the manifest: it is truncated or incomplete",
		a.name, strings.Join(miss, ", "), more)
}

// archiveWalk reads every entry of an archive, checks it, hashes file data
// and, with tw, writes the entries out.
type archiveWalk struct {
	check *archiveCheck
	pool  *chunkPool
	hs    *hashers
	tw    *treeWriter // nil: verify only
	meter *meter
}

func (w *archiveWalk) run(ctx context.Context, tr *tar.Reader) error {
	last := "the start"
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("archive %s is damaged: reading the entry after %s: %w", w.check.name, last, err)
		}
		last = fmt.Sprintf("%q", h.Name)
		i, err := w.check.entry(h)
		if err != nil {
			return err
		}
		if err := w.one(ctx, tr, i); err != nil {
			return err
		}
	}
}

func (w *archiveWalk) one(ctx context.Context, tr *tar.Reader, i int) error {
	e := &w.check.m.Files[i]
	switch e.Type {
	case TypeDir:
		if w.tw != nil {
			return w.tw.dir(e)
		}
		return nil
	case TypeSymlink:
		if w.tw != nil {
			return w.tw.symlink(e)
		}
		return nil
	}
	var of *outFile
	refs := 1
	if w.tw != nil {
		var err error
		if of, err = w.tw.create(e, nil); err != nil {
			return err
		}
		refs = 2
	}
	w.hs.start()
	if err := w.data(ctx, tr, i, of, refs); err != nil {
		return err
	}
	if err := w.hs.end(i); err != nil {
		return err
	}
	w.meter.fileDone()
	if of != nil {
		return w.tw.done(of)
	}
	return nil
}

func (w *archiveWalk) data(ctx context.Context, tr *tar.Reader, i int, of *outFile, refs int) error {
	var off int64
	for {
		c, err := w.pool.get(ctx, refs)
		if err != nil {
			return err
		}
		n, rerr := io.ReadFull(tr, c.buf)
		if n == 0 {
			c.refs.Store(1)
			c.release()
		}
		if rerr != nil && !errors.Is(rerr, io.EOF) && !errors.Is(rerr, io.ErrUnexpectedEOF) {
			return fmt.Errorf("archive %s is damaged: reading entry %q: %w", w.check.name, tarName(&w.check.m.Files[i]), rerr)
		}
		if n == 0 {
			return w.complete(i, off)
		}
		c.data, c.off = c.buf[:n], off
		off += int64(n)
		if err := w.hs.chunk(i, c); err != nil {
			return err
		}
		if of != nil {
			if err := w.tw.write(of, c); err != nil {
				return err
			}
		}
		w.meter.add(int64(n))
		if rerr != nil {
			return w.complete(i, off)
		}
	}
}

func (w *archiveWalk) complete(i int, got int64) error {
	e := &w.check.m.Files[i]
	if got != e.Size {
		return fmt.Errorf("archive %s is damaged: entry %q holds %d bytes, manifest says %d", w.check.name, tarName(e), got, e.Size)
	}
	return nil
}
