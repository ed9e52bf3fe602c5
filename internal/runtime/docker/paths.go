package docker

import (
	"path"
	"path/filepath"
	"strings"
)

// hostKey puts a host path into one comparable form for goos: forward
// slashes, and the forms Docker Desktop reports for Windows folders
// (/run/desktop/mnt/host/c/..., /host_mnt/c/..., /mnt/c/...) turned back into
// c:/...; Windows and macOS compare case-insensitively.
func hostKey(p, goos string) string {
	s := strings.ReplaceAll(p, `\`, "/")
	switch goos {
	case "windows":
		for _, pre := range []string{"/run/desktop/mnt/host/", "/host_mnt/", "/mnt/"} {
			rest, ok := strings.CutPrefix(s, pre)
			if ok && rest != "" && isLetter(rest[0]) && (len(rest) == 1 || rest[1] == '/') {
				s = rest[:1] + ":" + rest[1:]
				break
			}
		}
		if len(s) >= 2 && s[1] == ':' && len(s) == 2 {
			s += "/"
		}
		s = strings.ToLower(s)
	case "darwin":
		s = strings.TrimPrefix(s, "/host_mnt")
		s = strings.ToLower(s)
	}
	return path.Clean(s)
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

// inside reports whether p is dir or inside it, both compared as host paths of goos.
func inside(p, dir, goos string) bool {
	pk, dk := hostKey(p, goos), hostKey(dir, goos)
	if pk == dk {
		return true
	}
	if !strings.HasSuffix(dk, "/") {
		dk += "/"
	}
	return strings.HasPrefix(pk, dk)
}

// forms are the ways a local folder may appear in the engine's mounts: as
// given, absolute, and with symlinks resolved.
func forms(p string) []string {
	out := []string{p}
	if a, err := filepath.Abs(p); err == nil && a != p {
		out = append(out, a)
	}
	if r, err := filepath.EvalSymlinks(p); err == nil && r != p {
		out = append(out, r)
	}
	return out
}

// insideAny reports whether the mount source src is one of dirs or inside one.
func insideAny(src string, dirs []string, goos string) bool {
	srcs := []string{src}
	if r, err := filepath.EvalSymlinks(src); err == nil && r != src {
		srcs = append(srcs, r)
	}
	for _, s := range srcs {
		for _, d := range dirs {
			if inside(s, d, goos) {
				return true
			}
		}
	}
	return false
}
