package backup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestManifestRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.json")
	want := &Manifest{Version: ManifestVersion, Created: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC), Source: "/src",
		Format: FormatTarZst, Archive: "/b.tar.zst", ArchiveSHA256: "ab", ArchiveBytes: 9, TotalBytes: 3,
		Files: []Entry{{Path: ".", Type: TypeDir, Mode: 0o755}, {Path: "a", Type: TypeFile, Mode: 0o4644, Size: 3,
			SHA256: "cd", ModTime: time.Unix(1, 999).UTC(), UID: 7, GID: 8}, {Path: "l", Type: TypeSymlink, Link: "a"}}}
	must(t, WriteManifest(p, want))
	got, err := ReadManifest(p)
	must(t, err)
	if got.Created != want.Created || got.Files[1] != want.Files[1] || got.Files[2] != want.Files[2] || got.Format != want.Format {
		t.Fatalf("read back %+v, want %+v", got, want)
	}
	assertNoPartial(t, filepath.Dir(p))
	if ManifestPath("/x/b.tar.gz") != "/x/b.tar.gz.manifest.json" {
		t.Error("ManifestPath changed")
	}
}

func TestReadManifestRefuses(t *testing.T) {
	cases := map[string]string{
		`{`:                         "not valid JSON",
		`{"version":99,"files":[]}`: "unsupported manifest version 99",
		`{"version":1,"files":[{"path":"../x","type":"file"}]}`:                         `"../x": path is not a clean relative path`,
		`{"version":1,"files":[{"path":"/x","type":"file"}]}`:                           `"/x": path is not a clean relative path`,
		`{"version":1,"files":[{"path":"a","type":"file"},{"path":"a","type":"file"}]}`: `"a" is listed twice`,
		`{"version":1,"files":[{"path":"a","type":"fifo"}]}`:                            `unknown type "fifo"`,
		`{"version":1,"files":[{"path":"a","type":"symlink","link":"/etc"}]}`:           `points to absolute path`,
		`{"version":1,"format":"rar","files":[]}`:                                       `unknown backup format "rar"`,
	}
	for body, want := range cases {
		p := filepath.Join(t.TempDir(), "m.json")
		must(t, os.WriteFile(p, []byte(body), 0o600))
		_, err := ReadManifest(p)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), p) {
			t.Errorf("ReadManifest(%s): %v, want an error naming the file and saying %q", body, err, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"tar.gz": FormatTarGz, "TGZ": FormatTarGz, ".tar.zst": FormatTarZst,
		"zstd": FormatTarZst, "tar": FormatTar} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("zip"); err == nil {
		t.Error("ParseFormat accepted zip")
	}
}
