package mongodsim

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.mongodb.org/mongo-driver/bson"
)

// StorageBSONName is mongod's storage engine metadata file.
const StorageBSONName = "storage.bson"

// readStorageBSON returns the engine recorded in dbpath/storage.bson; found=false if absent.
func readStorageBSON(dbpath string) (engine string, found bool, err error) {
	path := filepath.Join(dbpath, StorageBSONName)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", path, err)
	}
	raw := bson.Raw(b)
	if err := raw.Validate(); err != nil {
		return "", true, fmt.Errorf("parse %s: %w", path, err)
	}
	engine, ok := raw.Lookup("storage", "engine").StringValueOK()
	if !ok {
		return "", true, fmt.Errorf("parse %s: no storage.engine string", path)
	}
	return engine, true, nil
}

// writeStorageBSON writes {storage: {engine, options}} via storage.bson.tmp + rename.
func writeStorageBSON(dbpath, engine string) error {
	opts := bson.D{{Key: "directoryPerDB", Value: false}}
	if engine == "wiredTiger" {
		opts = append(opts, bson.E{Key: "directoryForIndexes", Value: false})
	}
	doc := mustMarshal(bson.D{{Key: "storage", Value: bson.D{{Key: "engine", Value: engine}, {Key: "options", Value: opts}}}})
	return writeFileAtomic(filepath.Join(dbpath, StorageBSONName), func(w *bufio.Writer) error {
		_, err := w.Write(doc)
		return err
	})
}

// dataMarkers are files whose presence means the dbpath already holds data (the docker
// entrypoint's list plus WiredTiger's and the simulator's own files).
var dataMarkers = []string{"WiredTiger", "WiredTiger.turtle", "WiredTiger.wt", "journal", "local.0", "local.ns",
	StorageBSONName, StateFileName}

func dbpathHasData(dbpath string) bool {
	for _, m := range dataMarkers {
		if _, err := os.Lstat(filepath.Join(dbpath, m)); err == nil {
			return true
		}
	}
	return false
}

// legacyMMAPv1Files: pre-3.0 MMAPv1 data has local.ns but no storage.bson.
func legacyMMAPv1Files(dbpath string) bool {
	for _, p := range []string{"local.ns", filepath.Join("local", "local.ns")} {
		if _, err := os.Stat(filepath.Join(dbpath, p)); err == nil {
			return true
		}
	}
	return false
}
