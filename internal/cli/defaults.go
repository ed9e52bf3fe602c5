package cli

import (
	"os"
	"path/filepath"
	"runtime"
)

// clearMLRoot is where ClearML Server keeps its files: /opt/clearml
// (c:\opt\clearml on Windows). MONGOSTEP_CLEARML_ROOT overrides it (for
// installs elsewhere, and for tests).
func clearMLRoot() string {
	if r := os.Getenv("MONGOSTEP_CLEARML_ROOT"); r != "" {
		return r
	}
	if runtime.GOOS == "windows" {
		return `c:\opt\clearml`
	}
	return "/opt/clearml"
}

// defaultSource is ClearML's MongoDB data root: data/mongo (v1.1 and
// older), or data/mongo_4 (v1.2 on) when only that exists.
func defaultSource() string {
	data := filepath.Join(clearMLRoot(), "data")
	old, cur := filepath.Join(data, "mongo"), filepath.Join(data, "mongo_4")
	if !dirExists(old) && dirExists(cur) {
		return cur
	}
	return old
}

// defaultTarget: ClearML's data/mongo migrates into its sibling mongo_4 (the
// folder ClearML v1.2 and later use); any other source is upgraded in place.
func defaultTarget(source string) string {
	if filepath.Base(filepath.Clean(source)) == "mongo" && dirExists(filepath.Join(source, "db")) {
		return filepath.Join(filepath.Dir(filepath.Clean(source)), "mongo_4")
	}
	return source
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
