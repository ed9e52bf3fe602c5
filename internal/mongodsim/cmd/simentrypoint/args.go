//go:build linux

package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// mongodbID is the uid and gid of the image's mongodb user.
const mongodbID = 999

// plan rewrites the command line as the real entrypoint does.
func plan(args []string, getenv func(string) string, helpLists func(flag string) bool) ([]string, error) {
	argv := append([]string(nil), args...)
	if len(argv) > 0 && strings.HasPrefix(argv[0], "-") {
		argv = append([]string{"mongod"}, argv...)
	}
	if len(argv) == 0 || argv[0] != "mongod" {
		return argv, nil
	}
	user, pass := fileEnv(getenv, "MONGO_INITDB_ROOT_USERNAME"), fileEnv(getenv, "MONGO_INITDB_ROOT_PASSWORD")
	switch {
	case user != "" && pass != "":
		argv = append(argv, "--auth")
	case user != "" || pass != "":
		return nil, fmt.Errorf("error: missing MONGO_INITDB_ROOT_USERNAME or MONGO_INITDB_ROOT_PASSWORD\n       both must be specified for a user to be created")
	}
	if !hasBindFlag(argv[1:]) && helpLists("--bind_ip_all") {
		argv = append(argv, "--bind_ip_all")
	}
	return argv, nil
}

// fileEnv is VAR, or the content of the file named by VAR_FILE.
func fileEnv(getenv func(string) string, name string) string {
	if v := getenv(name); v != "" {
		return v
	}
	if f := getenv(name + "_FILE"); f != "" {
		if b, err := os.ReadFile(f); err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	return ""
}

func hasBindFlag(args []string) bool {
	for _, a := range args {
		name, _, _ := strings.Cut(a, "=")
		if name == "--bind_ip" || name == "--bind_ip_all" {
			return true
		}
	}
	return false
}

func containsWord(text, word string) bool {
	for _, f := range strings.Fields(text) {
		if f == word {
			return true
		}
	}
	return false
}

// cleanEnv drops the MONGO_INITDB_* variables before mongod starts.
func cleanEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "MONGO_INITDB_") {
			out = append(out, kv)
		}
	}
	return out
}

// giveToMongodb chowns (owner only, without following symlinks) every entry
// under dirs not owned by the mongodb user, like
// find DIRS \! -user mongodb -exec chown mongodb '{}' +.
func giveToMongodb(dirs ...string) error {
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) && p == d {
					return filepath.SkipDir
				}
				return err
			}
			info, err := e.Info()
			if err != nil {
				return err
			}
			if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) == mongodbID {
				return nil
			}
			return os.Lchown(p, mongodbID, -1)
		})
		if err != nil {
			return fmt.Errorf("docker-entrypoint.sh: chown mongodb under %s: %w", d, err)
		}
	}
	return nil
}
