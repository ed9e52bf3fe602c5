package backup

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// ManifestVersion is the version written into every manifest. ReadManifest
// refuses manifests of a newer version.
const ManifestVersion = 1

// Entry types.
const (
	TypeFile    = "file"
	TypeDir     = "dir"
	TypeSymlink = "symlink"
)

// Manifest describes one backup: every entry of the source tree with its size
// and SHA-256, and the archive that holds it.
type Manifest struct {
	Version       int       `json:"version"`
	Created       time.Time `json:"created"`
	Source        string    `json:"source"`
	Format        Format    `json:"format,omitempty"`
	Archive       string    `json:"archive,omitempty"`
	ArchiveSHA256 string    `json:"archive_sha256,omitempty"`
	ArchiveBytes  int64     `json:"archive_bytes,omitempty"`
	TotalBytes    int64     `json:"total_bytes"`
	Files         []Entry   `json:"files"`
}

// Entry is one file, directory or symlink. Path is slash-separated and
// relative to the source; the source directory itself is ".".
type Entry struct {
	Path    string    `json:"path"`
	Type    string    `json:"type"`
	Mode    uint32    `json:"mode"` // Unix permission bits incl. setuid/setgid/sticky (07777)
	Size    int64     `json:"size,omitempty"`
	SHA256  string    `json:"sha256,omitempty"`
	ModTime time.Time `json:"mtime"`
	UID     int       `json:"uid"`
	GID     int       `json:"gid"`
	Link    string    `json:"link,omitempty"`
}

// ManifestPath is the name of the manifest that sits beside an archive.
func ManifestPath(archive string) string { return archive + ".manifest.json" }

// WriteManifest writes m as JSON to path atomically: a temporary file in the
// same directory is written, fsync'd and renamed, then the directory is fsync'd.
func WriteManifest(p string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return fmt.Errorf("encode manifest %s: %w", p, err)
	}
	return writeFileAtomic(p, append(data, '\n'))
}

// ReadManifest reads and checks a manifest written by WriteManifest.
func ReadManifest(p string) (*Manifest, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read backup manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("backup manifest %s is not valid JSON (damaged or not a manifest): %w", p, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("backup manifest %s: %w", p, err)
	}
	return &m, nil
}

func (m *Manifest) check() error {
	if m.Version < 1 || m.Version > ManifestVersion {
		return fmt.Errorf("unsupported manifest version %d (this mongostep reads version %d)", m.Version, ManifestVersion)
	}
	if m.Format != "" {
		if _, err := ParseFormat(string(m.Format)); err != nil {
			return err
		}
	}
	seen := make(map[string]bool, len(m.Files))
	for i := range m.Files {
		e := &m.Files[i]
		if err := checkEntry(e); err != nil {
			return err
		}
		if seen[e.Path] {
			return fmt.Errorf("entry %q is listed twice", e.Path)
		}
		seen[e.Path] = true
	}
	return nil
}

func checkEntry(e *Entry) error {
	if e.Path != "." && (e.Path == "" || path.IsAbs(e.Path) || path.Clean(e.Path) != e.Path ||
		e.Path == ".." || strings.HasPrefix(e.Path, "../")) {
		return fmt.Errorf("entry %q: path is not a clean relative path", e.Path)
	}
	switch e.Type {
	case TypeFile, TypeDir:
	case TypeSymlink:
		if err := checkLinkTarget(e.Path, e.Link); err != nil {
			return err
		}
	default:
		return fmt.Errorf("entry %q: unknown type %q", e.Path, e.Type)
	}
	if e.Size < 0 {
		return fmt.Errorf("entry %q: negative size %d", e.Path, e.Size)
	}
	return nil
}

// index maps entry paths to their position in m.Files.
func (m *Manifest) index() map[string]int {
	idx := make(map[string]int, len(m.Files))
	for i := range m.Files {
		idx[m.Files[i].Path] = i
	}
	return idx
}

// osPath turns an entry path into a path under root.
func osPath(root, rel string) string {
	if rel == "." {
		return root
	}
	return filepath.Join(root, filepath.FromSlash(rel))
}
