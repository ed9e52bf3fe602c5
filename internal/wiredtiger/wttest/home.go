package wttest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// File is one table of a home directory written by WriteHome.
type File struct {
	Name string // file name relative to the home, e.g. "collection-2-1.wt" or "db/collection-2-1.wt"
	Spec Spec
	KVs  []KV
}

// HomeSpec tunes the metadata table and turtle file.
type HomeSpec struct {
	Version  [3]int // WiredTiger version in the turtle; default 11.3.0
	Metadata Spec   // layout of WiredTiger.wt itself
}

// WriteHome writes files into dir, then a WiredTiger.wt metadata table
// naming them (file:, table: and colgroup: entries) and WiredTiger.turtle.
func WriteHome(dir string, hs HomeSpec, files []File) error {
	meta := map[string]string{}
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		cfg, err := WriteFile(path, f.Spec, f.KVs)
		if err != nil {
			return err
		}
		table := strings.TrimSuffix(f.Name, ".wt")
		meta["file:"+f.Name] = cfg
		meta["table:"+table] = "app_metadata=,colgroups=,collator=,columns=,key_format=" + f.Spec.KeyFormat
		meta["colgroup:"+table] = "app_metadata=,collator=,columns=,source=\"file:" + f.Name + "\",type=file"
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	kvs := make([]KV, 0, len(keys))
	for _, k := range keys {
		kvs = append(kvs, KV{Key: []byte(k + "\x00"), Value: []byte(meta[k] + "\x00")})
	}
	ms := hs.Metadata
	ms.KeyFormat, ms.ValueFormat = "S", "S"
	mcfg, err := WriteFile(filepath.Join(dir, "WiredTiger.wt"), ms, kvs)
	if err != nil {
		return err
	}
	v := hs.Version
	if v == [3]int{} {
		v = [3]int{11, 3, 0}
	}
	turtle := fmt.Sprintf("WiredTiger version string\nWiredTiger %d.%d.%d: (January  1, 2024)\n"+
		"WiredTiger version\nmajor=%d,minor=%d,patch=%d\nfile:WiredTiger.wt\n%s\n",
		v[0], v[1], v[2], v[0], v[1], v[2], mcfg)
	return os.WriteFile(filepath.Join(dir, "WiredTiger.turtle"), []byte(turtle), 0o644)
}
