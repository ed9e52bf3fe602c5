package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// maxProblems is how many differences a verification error lists.
const maxProblems = 10

// problems collects differences from several goroutines.
type problems struct {
	mu    sync.Mutex
	list  []string
	count int
}

func (p *problems) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count++
	if len(p.list) < maxProblems {
		p.list = append(p.list, fmt.Sprintf(format, args...))
	}
}

func (p *problems) err(what string) error {
	if p.count == 0 {
		return nil
	}
	more := ""
	if p.count > len(p.list) {
		more = fmt.Sprintf("; and %d more", p.count-len(p.list))
	}
	return fmt.Errorf("%s does not match its manifest (%d differences): %s%s", what, p.count, strings.Join(p.list, "; "), more)
}

// VerifyTree checks that dir holds exactly the entries of m: types, sizes,
// symlink targets, modes, modification times, owners (when running as root)
// and the SHA-256 of every file, hashed on several cores. The error lists
// the first differences, each naming its path.
func VerifyTree(ctx context.Context, dir string, m *Manifest, progress func(Progress)) error {
	total, files := totals(m.Files)
	meter := startMeter(progress, PhaseVerify, total, files)
	defer meter.stop()
	v := &treeVerify{dir: dir, m: m, idx: m.index(), seen: make([]bool, len(m.Files)),
		meter: meter, jobs: make(chan int, 64)}
	g, gctx := newGroup(ctx)
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error { return v.hashLoop(gctx) })
	}
	g.Go(func() error {
		defer close(v.jobs)
		return v.walk(gctx)
	})
	if err := g.Wait(); err != nil {
		return verifyCancelled(ctx, dir, err)
	}
	for i, ok := range v.seen {
		if !ok {
			v.probs.add("%s is missing", m.Files[i].Path)
		}
	}
	return v.probs.err("copy " + dir)
}

type treeVerify struct {
	dir   string
	m     *Manifest
	idx   map[string]int
	seen  []bool
	meter *meter
	jobs  chan int
	probs problems
}

func (v *treeVerify) walk(ctx context.Context) error {
	return filepath.WalkDir(v.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("verify copy: %w", err)
		}
		rel, err := filepath.Rel(v.dir, p)
		if err != nil {
			return fmt.Errorf("verify copy %s: %w", p, err)
		}
		rel = filepath.ToSlash(rel)
		i, ok := v.idx[rel]
		if !ok {
			v.probs.add("%s is not in the manifest", rel)
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		v.seen[i] = true
		fi, err := d.Info()
		if err != nil {
			return fmt.Errorf("verify copy %s: %w", p, err)
		}
		if v.meta(&v.m.Files[i], fi) && v.m.Files[i].Type == TypeFile {
			return send(ctx, v.jobs, i)
		}
		return nil
	})
}

// meta compares what Lstat shows; it reports whether the content is worth
// hashing (type and size match).
func (v *treeVerify) meta(e *Entry, fi fs.FileInfo) bool {
	got, err := entryFromInfo(v.dir, e.Path, fi)
	if err != nil {
		v.probs.add("%s", err)
		return false
	}
	switch {
	case got.Type != e.Type:
		v.probs.add("%s is a %s, manifest says %s", e.Path, got.Type, e.Type)
		return false
	case got.Size != e.Size:
		v.probs.add("%s is %d bytes, manifest says %d", e.Path, got.Size, e.Size)
		return false
	case got.Link != e.Link:
		v.probs.add("symlink %s points to %q, manifest says %q", e.Path, got.Link, e.Link)
	}
	if modesReliable && got.Mode != e.Mode {
		v.probs.add("%s has mode %#o, manifest says %#o", e.Path, got.Mode, e.Mode)
	}
	if (modesReliable || e.Type != TypeSymlink) && !got.ModTime.Equal(e.ModTime) {
		v.probs.add("%s was modified %s, manifest says %s", e.Path,
			got.ModTime.Format(time.RFC3339Nano), e.ModTime.Format(time.RFC3339Nano))
	}
	if canChown() && (got.UID != e.UID || got.GID != e.GID) {
		v.probs.add("%s is owned by %d:%d, manifest says %d:%d", e.Path, got.UID, got.GID, e.UID, e.GID)
	}
	return true
}

func (v *treeVerify) hashLoop(ctx context.Context) error {
	buf := make([]byte, readChunk)
	h := sha256.New()
	for {
		var i int
		var ok bool
		select {
		case i, ok = <-v.jobs:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok {
			return nil
		}
		e := &v.m.Files[i]
		h.Reset()
		if err := v.hashFile(ctx, osPath(v.dir, e.Path), h, buf); err != nil {
			return err
		}
		if sum := hex.EncodeToString(h.Sum(nil)); sum != e.SHA256 {
			v.probs.add("%s has SHA-256 %s, manifest says %s", e.Path, sum, e.SHA256)
		}
		v.meter.fileDone()
	}
}

func (v *treeVerify) hashFile(ctx context.Context, p string, h io.Writer, buf []byte) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("verify copy: %w", err)
	}
	defer f.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		v.meter.add(int64(n))
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("verify copy: read %s: %w", p, err)
		}
	}
}
