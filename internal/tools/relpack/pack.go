package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Options say what to pack.
type Options struct {
	Dist    string    // the release folder; binaries in Dist/build/<os>_<arch>/
	Version string    // for the archive names
	MTime   time.Time // every entry's time
	Files   []string  // added beside the binary (README.md, LICENSE)
}

// entry is one file of an archive.
type entry struct {
	name string
	mode int64
	data []byte
}

// Pack writes one archive per built platform and SHA256SUMS, and returns the
// archive names, sorted.
func Pack(o Options) ([]string, error) {
	platforms, err := builtPlatforms(filepath.Join(o.Dist, "build"))
	if err != nil {
		return nil, err
	}
	docs, err := readDocs(o.Files)
	if err != nil {
		return nil, err
	}
	version := strings.TrimPrefix(o.Version, "v")
	var names []string
	for _, p := range platforms {
		name, err := packOne(o, version, p, docs)
		if err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if err := writeSums(o.Dist, names); err != nil {
		return nil, err
	}
	return names, nil
}

// builtPlatforms lists the <os>_<arch> folders under dir, sorted.
func builtPlatforms(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read the built binaries in %s (run `make release`, which builds them first): %w", dir, err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() && strings.Contains(e.Name(), "_") {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no <os>_<arch> folders in %s: nothing to pack", dir)
	}
	sort.Strings(out)
	return out, nil
}

func readDocs(files []string) ([]entry, error) {
	var out []entry
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read %s for the archives: %w", f, err)
		}
		out = append(out, entry{name: filepath.Base(f), mode: 0o644, data: b})
	}
	return out, nil
}

// packOne writes mongostep_<version>_<os>_<arch>.tar.gz (.zip for windows).
func packOne(o Options, version, platform string, docs []entry) (string, error) {
	goos := platform[:strings.Index(platform, "_")]
	bin := "mongostep"
	if goos == "windows" {
		bin += ".exe"
	}
	data, err := os.ReadFile(filepath.Join(o.Dist, "build", platform, bin))
	if err != nil {
		return "", fmt.Errorf("read the %s binary: %w", platform, err)
	}
	entries := append([]entry{{name: bin, mode: 0o755, data: data}}, docs...)
	name := fmt.Sprintf("mongostep_%s_%s", version, platform)
	write := writeTarGz
	if goos == "windows" {
		name, write = name+".zip", writeZip
	} else {
		name += ".tar.gz"
	}
	if err := writeFileAtomic(filepath.Join(o.Dist, name), func(f *os.File) error { return write(f, entries, o.MTime) }); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return name, nil
}

// writeSums writes SHA256SUMS in sha256sum's format ("<hex>  <name>").
func writeSums(dist string, names []string) error {
	var b strings.Builder
	for _, n := range names {
		sum, err := fileSHA256(filepath.Join(dist, n))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, n)
	}
	return writeFileAtomic(filepath.Join(dist, "SHA256SUMS"), func(f *os.File) error {
		_, err := f.WriteString(b.String())
		return err
	})
}

func fileSHA256(p string) (string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("checksum %s: %w", p, err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}

// writeFileAtomic writes p through a temporary file renamed into place.
func writeFileAtomic(p string, fill func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(p), ".relpack-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = fill(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return nil
}
