package backup

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var hostileTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// TestHostileArchives feeds Restore archives whose manifest matches them
// byte for byte, but whose entries try to escape the destination.
func TestHostileArchives(t *testing.T) {
	file := func(name string) *tar.Header {
		return &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: 4, ModTime: hostileTime}
	}
	link := func(name, target string, typ byte) *tar.Header {
		return &tar.Header{Name: name, Typeflag: typ, Linkname: target, Mode: 0o777, ModTime: hostileTime}
	}
	cases := []struct {
		name  string
		hdrs  []*tar.Header
		extra []Entry // manifest entries besides the root
		want  string
	}{
		{"dotdot", []*tar.Header{file("../evil")}, nil, `"../evil": contains ".."`},
		{"dotdot inside", []*tar.Header{file("./a/../../evil")}, nil, `"./a/../../evil": contains ".."`},
		{"absolute", []*tar.Header{file("/tmp/mongostep-evil")}, nil, `"/tmp/mongostep-evil": absolute path`},
		{"symlink up", []*tar.Header{link("./ln", "../outside", tar.TypeSymlink)}, nil, `"./ln": symlink "ln" points to "../outside"`},
		{"symlink absolute", []*tar.Header{link("./ln", "/etc", tar.TypeSymlink)}, nil, `"./ln": symlink "ln" points to absolute path "/etc"`},
		{"hard link", []*tar.Header{link("./hl", "/etc/passwd", tar.TypeLink)}, nil, `"./hl" is a hard link`},
		{"device", []*tar.Header{{Name: "./dev", Typeflag: tar.TypeChar, Mode: 0o644, ModTime: hostileTime}}, nil, `"./dev" is a device or fifo`},
		{"fifo", []*tar.Header{{Name: "./fifo", Typeflag: tar.TypeFifo, Mode: 0o644, ModTime: hostileTime}}, nil, `"./fifo" is a device or fifo`},
		{"through symlink", []*tar.Header{link("./ln", "sub", tar.TypeSymlink), file("./ln/x")},
			[]Entry{{Path: "ln", Type: TypeSymlink, Mode: 0o777, ModTime: hostileTime, Link: "sub"}},
			`"./ln/x" lies under symlink "ln"`},
		{"not in manifest", []*tar.Header{file("./stowaway")}, nil, `"./stowaway" is not in the manifest`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			archive := writeHostile(t, dir, tc.hdrs, tc.extra)
			dst := filepath.Join(dir, "restored")
			err := Restore(t.Context(), archive, "", dst, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Restore error %v, want it to contain %s", err, tc.want)
			}
			if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("destination %s exists after a refused restore", dst)
			}
			for _, p := range []string{filepath.Join(dir, "evil"), "/tmp/mongostep-evil", filepath.Join(dir, "outside")} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("%s was written outside the destination", p)
				}
			}
			assertNoPartial(t, dir)
		})
	}
}

// writeHostile writes a tar.gz of "./" plus hdrs (files hold "evil") and a
// manifest of the root plus extra whose archive hash matches.
func writeHostile(t *testing.T, dir string, hdrs []*tar.Header, extra []Entry) string {
	t.Helper()
	archive := filepath.Join(dir, "hostile.tar.gz")
	f, err := os.Create(archive)
	must(t, err)
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	must(t, tw.WriteHeader(&tar.Header{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: hostileTime}))
	for _, h := range hdrs {
		must(t, tw.WriteHeader(h))
		if h.Typeflag == tar.TypeReg {
			_, err := tw.Write([]byte("evil"))
			must(t, err)
		}
	}
	must(t, tw.Close())
	must(t, zw.Close())
	must(t, f.Close())
	b, err := os.ReadFile(archive)
	must(t, err)
	sum := sha256.Sum256(b)
	m := &Manifest{Version: ManifestVersion, Format: FormatTarGz, ArchiveSHA256: hex.EncodeToString(sum[:]),
		ArchiveBytes: int64(len(b)), Files: append([]Entry{{Path: ".", Type: TypeDir, Mode: 0o755, ModTime: hostileTime}}, extra...)}
	must(t, WriteManifest(ManifestPath(archive), m))
	return archive
}
