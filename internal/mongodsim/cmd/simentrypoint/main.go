//go:build linux

// Command simentrypoint plays the official mongo image's docker-entrypoint.sh
// in the test images mongostep's docker tests build from the mongod
// simulator (internal/runtime/docker/dockertest). It does what mongostep can
// observe of the real script (../shared/spec/mongod-upgrade-facts.md §5.3):
//
//   - a first argument starting with "-" means `mongod ARGS...`;
//   - for mongod, started as root: files under /data/configdb and /data/db not
//     owned by uid 999 are given to it (owner only, not the group), then the
//     process drops to uid/gid 999 (the image's mongodb user);
//   - --bind_ip_all is appended when no --bind_ip/--bind_ip_all is given and
//     `mongod --help` lists it (3.4 has no such flag and binds all anyway);
//   - with MONGO_INITDB_ROOT_USERNAME and _PASSWORD (or their _FILE forms)
//     both set, --auth is appended, even on existing data; with only one of
//     them set it refuses to start (exit 1);
//   - the MONGO_INITDB_* variables are removed, and mongod is exec'd, so it
//     runs as PID 1.
//
// Not played: the init step on an empty dbpath (creating the root user and
// running /docker-entrypoint-initdb.d scripts), --config parsing, numactl.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	argv, err := plan(os.Args[1:], os.Getenv, helpLists)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "docker-entrypoint.sh: no command")
		os.Exit(1)
	}
	if argv[0] == "mongod" && os.Getuid() == 0 {
		if err := giveToMongodb("/data/configdb", "/data/db"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := dropToMongodb(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "docker-entrypoint.sh: exec: %s: not found\n", argv[0])
		os.Exit(127)
	}
	if err := syscall.Exec(path, argv, cleanEnv(os.Environ())); err != nil {
		fmt.Fprintf(os.Stderr, "docker-entrypoint.sh: exec %s: %v\n", path, err)
		os.Exit(126)
	}
}

// helpLists reports whether `mongod --help` mentions flag.
func helpLists(flag string) bool {
	out, _ := exec.Command("mongod", "--help").CombinedOutput()
	return containsWord(string(out), flag)
}

// dropToMongodb switches the whole process to uid/gid 999 with no
// supplementary groups (gosu mongodb).
func dropToMongodb() error {
	if err := syscall.Setgroups([]int{}); err != nil {
		return fmt.Errorf("docker-entrypoint.sh: setgroups: %w", err)
	}
	if err := syscall.Setgid(mongodbID); err != nil {
		return fmt.Errorf("docker-entrypoint.sh: setgid %d: %w", mongodbID, err)
	}
	if err := syscall.Setuid(mongodbID); err != nil {
		return fmt.Errorf("docker-entrypoint.sh: setuid %d: %w", mongodbID, err)
	}
	return os.Setenv("HOME", "/data/db")
}
