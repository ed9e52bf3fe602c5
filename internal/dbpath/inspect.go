package dbpath

import (
	"fmt"
	"path/filepath"
)

// Inspect gathers offline facts about the data directory dir, which is
// either a bare dbpath or a ClearML data root (db/ and configdb/). It reads
// only, never writes. It fails with an *Error of kind ErrNotExist,
// ErrNotDataDir or ErrPermission; anything else worth knowing (corrupt FTDC,
// missing files, unclean lock) is in Info.Warnings.
func Inspect(dir string) (*Info, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", dir, err)
	}
	l, err := resolveLayout(root)
	if err != nil {
		return nil, err
	}
	info := &Info{Root: root, Layout: l.kind, DBPath: l.dbpath, ConfigDB: l.configdb, Warnings: l.warnings}
	steps := []func(*Info) error{readEngine, readWiredTiger, readFTDC, readLockInfo, measure}
	for _, step := range steps {
		if err := step(info); err != nil {
			return nil, err
		}
	}
	return info, nil
}
