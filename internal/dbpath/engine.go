package dbpath

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
)

// maxStorageBSON bounds the read of storage.bson (a few hundred bytes in practice).
const maxStorageBSON = 1 << 20

type storageMeta struct {
	Storage struct {
		Engine  string `bson:"engine"`
		Options bson.M `bson:"options"`
	} `bson:"storage"`
}

// readEngine fills Engine and StorageOptions from storage.bson, falling back
// to the files present when storage.bson is absent or unreadable.
func readEngine(info *Info) error {
	path := filepath.Join(info.DBPath, storageBSON)
	meta, err := parseStorageBSON(path)
	switch {
	case err == nil:
		info.Engine = meta.Storage.Engine
		info.StorageOptions = normalizeBSON(meta.Storage.Options)
		if info.Engine == "" {
			info.warn("%s has no storage.engine field: mongod will not know which engine to use", path)
		}
		warnEngine(info)
		return nil
	case errors.Is(err, fs.ErrPermission):
		return permissionError(path, err)
	case errors.Is(err, fs.ErrNotExist):
		return inferEngine(info, path+" is absent")
	default:
		info.warn("%v: mongod refuses to start on an unreadable storage.bson (fatal assertion 28661)", err)
		return inferEngine(info, path+" is unreadable")
	}
}

func parseStorageBSON(path string) (storageMeta, error) {
	var meta storageMeta
	data, truncated, err := readLimited(path, maxStorageBSON)
	if err != nil {
		return meta, err
	}
	if truncated {
		return meta, fmt.Errorf("%s is larger than %d bytes, so it is not a storage.bson", path, maxStorageBSON)
	}
	if err := validDoc(data); err != nil {
		return meta, fmt.Errorf("%s is not a valid BSON document: %w", path, err)
	}
	if err := bson.Unmarshal(data, &meta); err != nil {
		return meta, fmt.Errorf("%s does not hold {storage: {engine, options}}: %w", path, err)
	}
	return meta, nil
}

// inferEngine guesses the engine from the files when storage.bson is missing.
func inferEngine(info *Info, why string) error {
	mmap, err := hasMMAPv1Files(info.DBPath)
	if err != nil {
		return err
	}
	wt, err := exists(filepath.Join(info.DBPath, wtFile))
	if err != nil {
		return err
	}
	switch {
	case mmap:
		info.Engine = EngineMMAPv1
		info.warn("%s: storage engine inferred as mmapv1 from its .ns/.0 data files (a pre-3.0 MMAPv1 dbpath has no storage.bson)", why)
	case wt:
		info.Engine = EngineWiredTiger
		info.warn("%s: storage engine inferred as wiredTiger from the WiredTiger file; mongod rewrites storage.bson when it starts", why)
	default:
		info.warn("%s and there are no WiredTiger or MMAPv1 data files: the storage engine is unknown (mongod may never have completed a start here)", why)
	}
	warnEngine(info)
	return nil
}

func warnEngine(info *Info) {
	switch info.Engine {
	case EngineWiredTiger, "":
	case EngineMMAPv1:
		info.warn("the data uses the MMAPv1 storage engine, which MongoDB 4.2 and later cannot open: " +
			"it must be moved to WiredTiger (mongodump/mongorestore) on MongoDB 4.0 or earlier")
	default:
		info.warn("storage engine %q is neither wiredTiger nor mmapv1", info.Engine)
	}
}

// hasMMAPv1Files looks for local.ns, local/local.ns, local.0 or any *.ns file.
func hasMMAPv1Files(dbpath string) (bool, error) {
	for _, name := range []string{"local.ns", "local.0", filepath.Join("local", "local.ns")} {
		if ok, err := exists(filepath.Join(dbpath, name)); err != nil || ok {
			return ok, err
		}
	}
	entries, err := os.ReadDir(dbpath)
	if err != nil {
		return false, fsError(dbpath, err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".ns") {
			return true, nil
		}
	}
	return false, nil
}

// normalizeBSON turns decoded bson.M/bson.A values into plain maps and slices.
func normalizeBSON(m bson.M) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = normalizeValue(v)
	}
	return out
}

func normalizeValue(v any) any {
	switch t := v.(type) {
	case bson.M:
		return normalizeBSON(t)
	case bson.A:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeValue(e)
		}
		return out
	default:
		return v
	}
}
