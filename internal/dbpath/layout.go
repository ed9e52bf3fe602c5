package dbpath

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Names inside a dbpath.
const (
	lockFile      = "mongod.lock"
	storageBSON   = "storage.bson"
	wtFile        = "WiredTiger"
	turtleFile    = "WiredTiger.turtle"
	diagDir       = "diagnostic.data"
	clearMLDB     = "db"
	clearMLConfig = "configdb"
)

// dataMarkers are files whose presence makes a folder a MongoDB dbpath.
// local.ns/local.0 are MMAPv1 (local/local.ns with --directoryperdb).
var dataMarkers = []string{
	storageBSON, wtFile, turtleFile, lockFile,
	"local.ns", "local.0", filepath.Join("local", "local.ns"),
}

type layout struct {
	kind     Layout
	dbpath   string
	configdb string
	warnings []string
}

// resolveLayout decides whether root is a bare dbpath or a ClearML data root.
// A dbpath marker in root wins over a db/ subfolder (with directoryPerDB a
// database named "db" is a subfolder of a bare dbpath).
func resolveLayout(root string) (layout, error) {
	if err := checkRootDir(root); err != nil {
		return layout{}, err
	}
	ok, err := hasMarker(root)
	if err != nil {
		return layout{}, err
	}
	if ok {
		return layout{kind: LayoutDBPath, dbpath: root}, nil
	}
	db := filepath.Join(root, clearMLDB)
	dbIsDir, err := isDir(db)
	if err != nil {
		return layout{}, err
	}
	if !dbIsDir {
		return layout{}, notDataDirError(root, describeMissing(root))
	}
	return clearMLLayout(root, db)
}

func clearMLLayout(root, db string) (layout, error) {
	ok, err := hasMarker(db)
	if err != nil {
		return layout{}, err
	}
	if !ok {
		why := "it holds db/ (like a ClearML data root), but " + db + " holds none of storage.bson, WiredTiger, mongod.lock"
		if empty, _ := Empty(db); empty {
			why = "it holds db/ (like a ClearML data root), but " + db + " is empty"
		}
		return layout{}, notDataDirError(root, why)
	}
	l := layout{kind: LayoutClearML, dbpath: db, configdb: filepath.Join(root, clearMLConfig)}
	cfgIsDir, err := isDir(l.configdb)
	if err != nil {
		return layout{}, err
	}
	if !cfgIsDir {
		l.warnings = append(l.warnings, "ClearML layout without configdb/: "+l.configdb+
			" is absent; the data in db/ is used as is (a standalone mongod keeps nothing needed in configdb)")
	}
	return l, nil
}

func checkRootDir(root string) error {
	fi, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return notExistError(root, err)
	case err != nil:
		return fsError(root, err)
	case !fi.IsDir():
		return notDataDirError(root, "it is a file, not a folder")
	}
	return nil
}

func hasMarker(dir string) (bool, error) {
	for _, name := range dataMarkers {
		ok, err := exists(filepath.Join(dir, name))
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func describeMissing(root string) string {
	if empty, _ := Empty(root); empty {
		return "it is empty"
	}
	return "it holds none of storage.bson, WiredTiger, mongod.lock and no db/ folder"
}
