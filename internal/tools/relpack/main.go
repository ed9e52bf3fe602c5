// Command relpack packs the release binaries built by `make release` into
// reproducible archives and writes SHA256SUMS.
//
//	relpack -dist dist -version 1.2.0 -mtime 1767225600 README.md LICENSE
//
// It reads dist/build/<os>_<arch>/mongostep[.exe] and writes
// dist/mongostep_<version>_<os>_<arch>.tar.gz (.zip for windows), each holding
// the binary and the given files at the top level, then dist/SHA256SUMS
// (`sha256sum -c` reads it). Every entry has the same fixed time (-mtime,
// the commit time), owner 0:0, a fixed mode and a fixed order, so the same
// commit built twice gives the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	dist := flag.String("dist", "dist", "the release folder; binaries are read from DIST/build/<os>_<arch>/")
	version := flag.String("version", "", "the version in the archive names (a leading v is dropped)")
	mtime := flag.Int64("mtime", 0, "the time of every archive entry, in seconds since 1970 (the commit time)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: relpack -dist DIR -version V -mtime SECONDS FILE...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *version == "" || *mtime <= 0 || flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	names, err := Pack(Options{Dist: *dist, Version: *version, MTime: time.Unix(*mtime, 0).UTC(), Files: flag.Args()})
	if err != nil {
		fmt.Fprintf(os.Stderr, "relpack: %v\n", err)
		os.Exit(1)
	}
	for _, n := range names {
		fmt.Println(n)
	}
}
