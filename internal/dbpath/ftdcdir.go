package dbpath

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const (
	metricsPrefix  = "metrics."
	metricsInterim = "metrics.interim"
)

// readFTDC fills LastMongod* from the newest diagnostic.data/metrics.* file
// that holds a metadata document, falling back to older files with a
// warning. Only permission errors fail.
func readFTDC(info *Info) error {
	dir := filepath.Join(info.DBPath, diagDir)
	files, err := metricsFiles(dir)
	if errors.Is(err, fs.ErrNotExist) {
		info.warn("%s is absent: the last mongod version is unknown (FTDC may have been disabled); "+
			"only the WiredTiger version is known, and it is shared by several MongoDB majors", dir)
		return nil
	}
	if err != nil {
		return err
	}
	if len(files) == 0 {
		info.warn("%s holds no metrics.* archive file: the last mongod version is unknown", dir)
		return nil
	}
	var skipped []string
	for _, path := range files {
		meta, err := readFTDCFile(path)
		if errors.Is(err, ErrPermission) {
			return err
		}
		if err != nil {
			info.warn("%v", err)
			skipped = append(skipped, filepath.Base(path))
			continue
		}
		info.LastMongod, info.LastMongodAt, info.LastMongodFile = meta.Version, meta.At, path
		if len(skipped) > 0 {
			info.warn("last mongod version %s comes from the older FTDC file %s because the newer %s gave none: "+
				"a newer mongod may have run after it", meta.Version, filepath.Base(path), strings.Join(skipped, ", "))
		}
		return nil
	}
	info.warn("no FTDC file in %s holds a metadata document: the last mongod version is unknown", dir)
	return nil
}

// metricsFiles lists the metrics archives in dir, newest (greatest name) first.
func metricsFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fsError(dir, err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(name, metricsPrefix) && name != metricsInterim {
			out = append(out, filepath.Join(dir, name))
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out, nil
}

func readFTDCFile(path string) (FTDCMetadata, error) {
	f, err := os.Open(path)
	if err != nil {
		return FTDCMetadata{}, fsError(path, err)
	}
	defer f.Close()
	meta, err := ReadFTDCMetadata(f)
	var fe *FTDCError
	if errors.As(err, &fe) {
		fe.File = path
	}
	if err != nil && fe == nil {
		return meta, fsError(path, err)
	}
	return meta, err
}
