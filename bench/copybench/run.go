package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/mongostep/mongostep/internal/backup"
)

// Targets from issue 4.
const (
	targetSpeedup = 10
	targetRSS     = 64 << 20
)

func run(ctx context.Context, cfg config) error {
	work, err := os.MkdirTemp(cfg.dir, "copybench-")
	if err != nil {
		return err
	}
	if !cfg.keep {
		defer os.RemoveAll(work)
	}
	src := filepath.Join(work, "src")
	files := plan(cfg.size, newRand(cfg.seed))
	fmt.Printf("copybench: generating a %s dbpath-shaped tree (%d files) in %s\n", human(cfg.size), len(files), work)
	start := time.Now()
	if err := generate(src, files, cfg.seed); err != nil {
		return err
	}
	syncDisks()
	fmt.Printf("generated in %.1fs\n\n", time.Since(start).Seconds())

	var runs []result
	for _, format := range cfg.formats {
		ms, err := timeMongostep(ctx, format, work, src)
		if err != nil {
			return err
		}
		ms.print()
		if cfg.verify {
			if err := verify(ctx, work); err != nil {
				return err
			}
		}
		os.RemoveAll(filepath.Join(work, "ms-copy"))
		os.Remove(ms.archivePath)
		os.Remove(backup.ManifestPath(ms.archivePath))
		syncDisks()
		runs = append(runs, ms)
	}
	floor, err := diskFloor(work, runs[0].archive+runs[0].copyAlloc)
	if err != nil {
		return err
	}
	fmt.Printf("%-44s %7.2fs\n    one file of %s written with 1 MiB writes, then fsync'd: what any durable backup must wait for\n",
		"disk floor (dd-like write + fsync)", floor.Seconds(), human(runs[0].archive+runs[0].copyAlloc))
	var man result
	if cfg.manual && ctx.Err() == nil {
		var err error
		if man, err = timeManual(ctx, work, src); err != nil {
			return err
		}
		man.print()
	}
	fmt.Println()
	if man.wall > 0 {
		fmt.Printf("the disk floor alone allows at most %.1fx against the manual commands\n", man.wall.Seconds()/floor.Seconds())
	}
	for _, ms := range runs {
		fmt.Printf("%-8s peak RSS %s (target < %s)", ms.format, human(ms.rss), human(targetRSS))
		if man.wall > 0 {
			fmt.Printf("; speed-up %.1fx (target >= %dx), %.1fx counting the manual run's final sync",
				man.wall.Seconds()/ms.wall.Seconds(), targetSpeedup, (man.wall+man.sync).Seconds()/ms.wall.Seconds())
		}
		fmt.Println()
	}
	return ctx.Err()
}

type result struct {
	name        string
	wall, sync  time.Duration
	rss         int64
	cpu, sys    time.Duration
	archive     int64
	copyAlloc   int64
	copyBytes   int64
	format      backup.Format
	archivePath string
	detail      string
}

func (r result) print() {
	fmt.Printf("%-44s %7.2fs", r.name, r.wall.Seconds())
	fmt.Printf("   CPU %.2fs (sys %.2fs)", r.cpu.Seconds(), r.sys.Seconds())
	if r.rss > 0 {
		fmt.Printf("   peak RSS %s", human(r.rss))
	}
	fmt.Printf("\n    wrote archive %s + copy %s (%s of data, holes not counted)\n", human(r.archive), human(r.copyAlloc), human(r.copyBytes))
	if r.detail != "" {
		fmt.Printf("    %s\n", r.detail)
	}
}

// timeMongostep runs backup.Run in a child process: default settings apart
// from the format.
func timeMongostep(ctx context.Context, format backup.Format, work, src string) (result, error) {
	r := result{name: fmt.Sprintf("mongostep backup (%s archive + copy)", format), format: format}
	archive, dst := filepath.Join(work, "ms"+format.Ext()), filepath.Join(work, "ms-copy")
	r.archivePath = archive
	self, err := os.Executable()
	if err != nil {
		return r, err
	}
	args := []string{childArg, "-src", src, "-archive", archive, "-copy", dst, "-format", string(format)}
	cmd := exec.CommandContext(ctx, self, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return r, fmt.Errorf("mongostep backup: %w", err)
	}
	r.wall = time.Since(start)
	r.rss = peakRSS(cmd.ProcessState)
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	r.sys = cmd.ProcessState.SystemTime()
	var cr childResult
	if err := json.Unmarshal(out.Bytes(), &cr); err != nil {
		return r, fmt.Errorf("mongostep backup printed %q: %w", out.String(), err)
	}
	r.archive = cr.ArchiveBytes
	r.copyAlloc, r.copyBytes = treeSize(dst)
	r.detail = fmt.Sprintf("%d entries, %s read once, everything fsync'd; phases: %s", cr.Files, human(cr.TotalBytes), cr.Phases)
	return r, nil
}

// timeManual runs the commands of ClearML's upgrade page.
func timeManual(ctx context.Context, work, src string) (result, error) {
	r := result{name: "manual: tar -zcf, then tar -xzf"}
	archive, dst := filepath.Join(work, "manual.gz"), filepath.Join(work, "manual-copy")
	if err := os.Mkdir(dst, 0o755); err != nil {
		return r, err
	}
	start := time.Now()
	create := exec.CommandContext(ctx, "tar", "-zcf", archive, "-C", src, ".")
	if err := create.Run(); err != nil {
		return r, fmt.Errorf("tar -zcf: %w", err)
	}
	mid := time.Now()
	extract := exec.CommandContext(ctx, "tar", "-xzf", archive, "-C", dst)
	if err := extract.Run(); err != nil {
		return r, fmt.Errorf("tar -xzf: %w", err)
	}
	for _, ps := range []*os.ProcessState{create.ProcessState, extract.ProcessState} {
		r.cpu += ps.UserTime() + ps.SystemTime() // gzip is tar's child: counted in
		r.sys += ps.SystemTime()
	}
	r.wall = time.Since(start)
	syncStart := time.Now()
	syncDisks()
	r.sync = time.Since(syncStart)
	fi, err := os.Stat(archive)
	if err != nil {
		return r, err
	}
	r.archive = fi.Size()
	r.copyAlloc, r.copyBytes = treeSize(dst)
	r.detail = fmt.Sprintf("tar -zcf %.2fs, tar -xzf %.2fs; nothing fsync'd (a sync afterwards took %.2fs)",
		mid.Sub(start).Seconds(), r.wall.Seconds()-mid.Sub(start).Seconds(), r.sync.Seconds())
	os.RemoveAll(dst)
	os.Remove(archive)
	return r, nil
}

// verify checks mongostep's results against the manifest (not timed).
func verify(ctx context.Context, work string) error {
	matches, _ := filepath.Glob(filepath.Join(work, "ms.*.manifest.json"))
	if len(matches) != 1 {
		return fmt.Errorf("manifest of mongostep's archive not found in %s", work)
	}
	m, err := backup.ReadManifest(matches[0])
	if err != nil {
		return err
	}
	start := time.Now()
	if err := backup.VerifyTree(ctx, filepath.Join(work, "ms-copy"), m, nil); err != nil {
		return err
	}
	tree := time.Since(start)
	start = time.Now()
	if err := backup.VerifyArchive(ctx, m.Archive, m, nil); err != nil {
		return err
	}
	arch := time.Since(start)
	fmt.Printf("    checked (not timed): VerifyTree %.2fs (%.0f MB/s), VerifyArchive %.2fs (%.0f MB/s)\n",
		tree.Seconds(), float64(m.TotalBytes)/tree.Seconds()/1e6, arch.Seconds(), float64(m.TotalBytes)/arch.Seconds()/1e6)
	return nil
}

// diskFloor times writing n bytes to one new file and fsyncing it: the
// least time any backup that makes its output durable needs on this disk.
func diskFloor(work string, n int64) (time.Duration, error) {
	p := filepath.Join(work, "floor")
	f, err := os.Create(p)
	if err != nil {
		return 0, err
	}
	defer os.Remove(p)
	defer f.Close()
	buf := make([]byte, 1<<20)
	newChaCha(99).Read(buf)
	start := time.Now()
	for left := n; left > 0; left -= int64(len(buf)) {
		if _, err := f.Write(buf[:min(int64(len(buf)), left)]); err != nil {
			return 0, err
		}
	}
	if err := f.Sync(); err != nil {
		return 0, err
	}
	d := time.Since(start)
	f.Close()
	os.Remove(p)
	syncDisks()
	return d, nil
}

// treeSize returns the allocated and apparent sizes of a tree's files.
func treeSize(root string) (alloc, size int64) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				alloc += allocated(fi)
				size += fi.Size()
			}
		}
		return nil
	})
	return alloc, size
}
