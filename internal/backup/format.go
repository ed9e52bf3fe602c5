package backup

import (
	"fmt"
	"strings"
)

// Format is the archive format of a backup.
type Format string

// The archive formats. All are plain tar streams, restorable with tar alone.
const (
	FormatTarGz  Format = "tar.gz"  // tar -xzf
	FormatTarZst Format = "tar.zst" // tar --zstd -xf
	FormatTar    Format = "tar"     // tar -xf
)

// DefaultFormat is the format used when Options.Format is empty (see doc.go).
const DefaultFormat = FormatTarGz

// Formats lists the accepted formats, default first.
func Formats() []Format { return []Format{FormatTarGz, FormatTarZst, FormatTar} }

// ParseFormat accepts "tar.gz" (or "tgz", "gz"), "tar.zst" (or "zst",
// "zstd") and "tar".
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimPrefix(s, ".")) {
	case "tar.gz", "tgz", "gz", "gzip":
		return FormatTarGz, nil
	case "tar.zst", "tar.zstd", "zst", "zstd":
		return FormatTarZst, nil
	case "tar":
		return FormatTar, nil
	}
	return "", fmt.Errorf("unknown backup format %q (use tar.gz, tar.zst or tar)", s)
}

// Ext is the usual file name extension, with its dot: ".tar.gz".
func (f Format) Ext() string { return "." + string(f) }

// ExtractCommand is the plain tar command that restores an archive of this
// format into dir, for messages and docs.
func (f Format) ExtractCommand(archive, dir string) string {
	switch f {
	case FormatTarZst:
		return fmt.Sprintf("tar --zstd -xf %s -C %s", archive, dir)
	case FormatTar:
		return fmt.Sprintf("tar -xf %s -C %s", archive, dir)
	}
	return fmt.Sprintf("tar -xzf %s -C %s", archive, dir)
}
