package mongodsim

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const (
	// EnvVersion selects the simulated version (full, e.g. 4.0.28). It wins over the file.
	EnvVersion = "MONGODSIM_VERSION"
	// VersionFile is read from the executable's directory when EnvVersion is unset.
	VersionFile = "mongodsim.version"
)

// versionSource tells where a version came from (for log and error messages).
type versionSource struct {
	full string
	from string
}

// resolveVersion finds the version to simulate. Candidate directories for VersionFile, in order:
// the directory of argv[0] when argv[0] contains a slash (so a symlink named bin/4.0/mongod finds
// bin/4.0/mongodsim.version), then the directory of os.Executable() (Linux resolves that through
// /proc/self/exe, i.e. symlinks are followed; copies and hard links keep their own directory).
func resolveVersion(argv0 string, getenv func(string) string) (versionSource, error) {
	if v := strings.TrimSpace(getenv(EnvVersion)); v != "" {
		return versionSource{full: v, from: "environment variable " + EnvVersion}, nil
	}
	var dirs []string
	if strings.ContainsRune(argv0, '/') {
		dirs = append(dirs, filepath.Dir(argv0))
	}
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Dir(exe))
	}
	var tried []string
	for _, d := range dirs {
		p := filepath.Join(d, VersionFile)
		tried = append(tried, p)
		v, err := readVersionFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return versionSource{}, err
		}
		return versionSource{full: v, from: p}, nil
	}
	return versionSource{}, fmt.Errorf("no version to simulate: set %s (e.g. %s=4.0.28) or put the version on the first line of %s (looked at: %s)",
		EnvVersion, EnvVersion, VersionFile, strings.Join(tried, ", "))
}

func readVersionFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSpace(line)
	if line == "" {
		return "", fmt.Errorf("read %s: first line is empty; it must hold a version such as 4.0.28", path)
	}
	return line, nil
}
