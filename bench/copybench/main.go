// Command copybench times mongostep's backup (archive + copy in one pass)
// against the manual commands of ClearML's upgrade page, on a generated data
// tree shaped like a MongoDB dbpath:
//
//	go run ./bench/copybench -size 2GiB
//
// It prints both wall times, their ratio, mongostep's peak RSS (measured in
// a child process) and the bytes each wrote, then removes its temp trees.
// The size can also come from MONGOSTEP_BENCH_SIZE and the work directory
// from MONGOSTEP_BENCH_DIR (default: the system temp dir); everything is
// made on that one filesystem.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/mongostep/mongostep/internal/backup"
)

type config struct {
	size    int64
	dir     string
	formats []backup.Format
	manual  bool
	verify  bool
	keep    bool
	seed    uint64
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == childArg {
		os.Exit(childMain(os.Args[2:]))
	}
	cfg, err := parseFlags()
	if err != nil {
		fmt.Fprintln(os.Stderr, "copybench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "copybench:", err)
		os.Exit(1)
	}
}

func parseFlags() (config, error) {
	var cfg config
	size := envOr("MONGOSTEP_BENCH_SIZE", "2GiB")
	flag.StringVar(&size, "size", size, "size of the generated data tree (e.g. 512MiB, 2GiB, 8GiB); env MONGOSTEP_BENCH_SIZE")
	flag.StringVar(&cfg.dir, "dir", os.Getenv("MONGOSTEP_BENCH_DIR"), "directory for the temp trees (default: system temp dir); env MONGOSTEP_BENCH_DIR")
	formats := flag.String("format", string(backup.DefaultFormat), "mongostep archive format(s), comma-separated: tar.gz,tar.zst,tar")
	flag.BoolVar(&cfg.manual, "manual", true, "also time the manual tar commands")
	flag.BoolVar(&cfg.verify, "verify", true, "check mongostep's copy and archive afterwards (not timed)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the temp trees")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed of the generated data")
	flag.Parse()
	var err error
	if cfg.size, err = parseSize(size); err != nil {
		return cfg, err
	}
	for _, f := range strings.Split(*formats, ",") {
		format, err := backup.ParseFormat(f)
		if err != nil {
			return cfg, err
		}
		cfg.formats = append(cfg.formats, format)
	}
	return cfg, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
