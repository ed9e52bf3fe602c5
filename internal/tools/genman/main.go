// Command genman writes mongostep's man pages, one per command, from the
// command tree (`make man` -> docs/man/*.1).
//
//	genman -out docs/man -date 2026-01-31
//
// The date is the only input besides the tree: `make man` passes the date of
// the last commit, and the test regenerates the committed pages with the date
// they carry, so it checks every flag and text without pinning a date.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	out := flag.String("out", "docs/man", "the folder to write the pages into (its old *.1 files are replaced)")
	date := flag.String("date", "", "the pages' date, YYYY-MM-DD (make man passes the last commit's)")
	flag.Parse()
	d, err := time.Parse("2006-01-02", *date)
	if err != nil || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: genman -out DIR -date YYYY-MM-DD")
		os.Exit(2)
	}
	names, err := Write(*out, d)
	if err != nil {
		fmt.Fprintf(os.Stderr, "genman: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("genman: %d pages in %s\n", len(names), *out)
}
