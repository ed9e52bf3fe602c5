package dbpath

import (
	"fmt"
	"time"
)

// Layout says how the directory given to Inspect is organised.
type Layout string

const (
	// LayoutClearML is a data root (e.g. /opt/clearml/data/mongo_4) holding
	// db/ (the dbpath) and configdb/.
	LayoutClearML Layout = "clearml"
	// LayoutDBPath is a bare dbpath (the folder mongod's --dbpath names).
	LayoutDBPath Layout = "dbpath"
)

// Storage engine names as mongod writes them in storage.bson.
const (
	EngineWiredTiger = "wiredTiger"
	EngineMMAPv1     = "mmapv1"
)

// Info holds what Inspect learnt about a data directory.
type Info struct {
	Root     string `json:"root"`     // the directory given, absolute and cleaned (symlinks not resolved)
	Layout   Layout `json:"layout"`   // LayoutClearML or LayoutDBPath
	DBPath   string `json:"dbpath"`   // Root for a bare dbpath, Root/db for the ClearML layout
	ConfigDB string `json:"configdb"` // Root/configdb for the ClearML layout (even when absent), "" otherwise

	// Engine is storage.bson's storage.engine ("wiredTiger", "mmapv1", or
	// whatever else it names); without storage.bson it is inferred from the
	// files (MMAPv1 .ns/.0 files, WiredTiger files); "" when unknown.
	Engine string `json:"engine"`
	// StorageOptions is storage.bson's storage.options (directoryPerDB,
	// directoryForIndexes, ...); nil without storage.bson.
	StorageOptions map[string]any `json:"storageOptions,omitempty"`

	// WTCreatedBy is the version string in the `WiredTiger` file: the library
	// that created the data, e.g. "WiredTiger 3.1.1: (July 12, 2018)".
	WTCreatedBy string `json:"wtCreatedBy,omitempty"`
	// WTVersion is from WiredTiger.turtle: the last library that checkpointed.
	WTVersion *WTVersion `json:"wtVersion,omitempty"`
	// WTCompat is the turtle's optional "Compatibility version", e.g. "3.0".
	WTCompat string `json:"wtCompat,omitempty"`

	// LastMongod is buildInfo.version of the newest FTDC metadata document,
	// e.g. "4.4.9"; "" when unknown (see Warnings).
	LastMongod     string    `json:"lastMongod,omitempty"`
	LastMongodAt   time.Time `json:"lastMongodAt,omitzero"`    // that document's _id (UTC)
	LastMongodFile string    `json:"lastMongodFile,omitempty"` // path of the metrics file it came from

	Lock Lock `json:"lock"`
	// Clean is true only when mongod.lock is present and 0 bytes long, which
	// is what a clean shutdown leaves. An absent mongod.lock is NOT clean: a
	// mongod that ever ran here created it, so its absence means the folder
	// was copied or edited and the last shutdown cannot be proven clean
	// (a warning says so). Treating "unknown" as unclean is the safe side:
	// recovering with the last version first costs only time.
	Clean bool `json:"clean"`

	Bytes     int64    `json:"bytes"`              // apparent size of the regular files under Root
	DiskBytes int64    `json:"diskBytes"`          // allocated size (st_blocks*512 on unix; = Bytes elsewhere)
	Files     int      `json:"files"`              // number of regular files counted
	Symlinks  []string `json:"symlinks,omitempty"` // symbolic links under Root (not followed, not counted)

	Warnings []string `json:"warnings,omitempty"` // things an operator should know
}

// WTVersion is a WiredTiger library version from WiredTiger.turtle.
type WTVersion struct {
	Major  int    `json:"major"`
	Minor  int    `json:"minor"`
	Patch  int    `json:"patch"`
	String string `json:"string"` // the "WiredTiger version string" value, e.g. "WiredTiger 10.0.2: (December 21, 2021)"
}

// Lock describes mongod.lock.
type Lock struct {
	Present bool   `json:"present"`
	Empty   bool   `json:"empty"`         // present and 0 bytes: mongod truncates it on a clean shutdown
	PID     int    `json:"pid,omitempty"` // the PID written by the last mongod, 0 if none or unparsable
	Raw     string `json:"raw"`           // the content (first 4 KiB at most)
}

func (i *Info) warn(format string, args ...any) {
	i.Warnings = append(i.Warnings, fmt.Sprintf(format, args...))
}
