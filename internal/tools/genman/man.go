package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/spf13/cobra/doc"

	"github.com/mongostep/mongostep/internal/cli"
)

// Write replaces the *.1 pages in dir with pages generated from mongostep's
// command tree, dated date, and returns their names, sorted.
func Write(dir string, date time.Time) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.1"))
	if err != nil {
		return nil, err
	}
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return nil, fmt.Errorf("remove the old page %s: %w", p, err)
		}
	}
	header := &doc.GenManHeader{Title: "MONGOSTEP", Section: "1", Date: &date, Source: "mongostep", Manual: "mongostep manual"}
	if err := doc.GenManTree(cli.Command(), header, dir); err != nil {
		return nil, fmt.Errorf("generate the man pages in %s: %w", dir, err)
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.1"))
	if err != nil {
		return nil, err
	}
	for i := range names {
		names[i] = filepath.Base(names[i])
	}
	sort.Strings(names)
	return names, nil
}
