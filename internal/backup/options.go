package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Options says what Run reads and writes.
type Options struct {
	// Source is the directory to back up. It is only ever read.
	Source string
	// Archive is the archive to write ("" = none). It is written under a
	// temporary name, then renamed; its manifest goes to ManifestPath(Archive).
	Archive string
	// Format of the archive; "" means DefaultFormat.
	Format Format
	// CopyTo is the directory to fill with a copy ("" = none). It must not
	// exist or be empty; the copy is built in a temporary sibling and renamed.
	CopyTo string
	// Skip leaves out entries (a skipped directory with all it holds).
	// rel is slash-separated and relative to Source.
	Skip func(rel string, d fs.DirEntry) bool
	// Progress, if set, is called at most every 100ms from one goroutine.
	Progress func(Progress)
	// Workers is the number of compression and copy workers; 0 = GOMAXPROCS.
	Workers int
}

// normalize checks o and makes its paths absolute.
func (o Options) normalize() (Options, error) {
	if o.Source == "" {
		return o, errors.New("backup: no source directory given")
	}
	if o.Archive == "" && o.CopyTo == "" {
		return o, errors.New("backup: nothing to do: give an archive path, a copy destination or both")
	}
	var err error
	if o.Source, err = absReal(o.Source); err != nil {
		return o, fmt.Errorf("source %s: %w", o.Source, err)
	}
	fi, err := os.Stat(o.Source)
	if err != nil {
		return o, fmt.Errorf("source: %w", err)
	}
	if !fi.IsDir() {
		return o, fmt.Errorf("source %s is not a directory", o.Source)
	}
	if o.Format == "" {
		o.Format = DefaultFormat
	}
	if o.Format, err = ParseFormat(string(o.Format)); err != nil {
		return o, err
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	for _, p := range []*string{&o.Archive, &o.CopyTo} {
		if *p == "" {
			continue
		}
		if *p, err = absReal(*p); err != nil {
			return o, err
		}
		if within(o.Source, *p) || within(*p, o.Source) {
			return o, fmt.Errorf("%s and the source %s overlap; the backup and the copy must be outside the source", *p, o.Source)
		}
	}
	if o.Archive != "" && o.CopyTo != "" && within(o.CopyTo, o.Archive) {
		return o, fmt.Errorf("backup archive %s is inside the copy destination %s; put it elsewhere", o.Archive, o.CopyTo)
	}
	if o.CopyTo != "" {
		if err := checkEmptyOrMissing(o.CopyTo, "copy destination"); err != nil {
			return o, err
		}
	}
	return o, nil
}

// absReal makes p absolute and resolves symlinks in its longest existing
// prefix, so that overlap checks see real locations.
func absReal(p string) (string, error) {
	p, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := p; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest), nil
		}
		if filepath.Dir(dir) == dir {
			return p, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}

// within reports whether p is dir or inside it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
