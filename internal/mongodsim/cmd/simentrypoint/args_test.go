//go:build linux

package main

import (
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestPlan(t *testing.T) {
	has := func(string) bool { return true }
	hasNot := func(string) bool { return false }
	cases := []struct {
		name string
		args []string
		env  map[string]string
		help func(string) bool
		want []string
		err  bool
	}{
		{"cmd mongod", []string{"mongod"}, nil, has, []string{"mongod", "--bind_ip_all"}, false},
		{"flags only", []string{"--port", "1"}, nil, has, []string{"mongod", "--port", "1", "--bind_ip_all"}, false},
		{"bind given", []string{"mongod", "--bind_ip", "127.0.0.1"}, nil, has, []string{"mongod", "--bind_ip", "127.0.0.1"}, false},
		{"bind_ip_all= given", []string{"mongod", "--bind_ip_all"}, nil, has, []string{"mongod", "--bind_ip_all"}, false},
		{"3.4 has no bind_ip_all", []string{"mongod"}, nil, hasNot, []string{"mongod"}, false},
		{"root pair adds auth", []string{"mongod"}, map[string]string{"MONGO_INITDB_ROOT_USERNAME": "u", "MONGO_INITDB_ROOT_PASSWORD": "p"}, has, []string{"mongod", "--auth", "--bind_ip_all"}, false},
		{"one of the pair refuses", []string{"mongod"}, map[string]string{"MONGO_INITDB_ROOT_USERNAME": "u"}, has, nil, true},
		{"other command untouched", []string{"bash", "-c", "x"}, nil, has, []string{"bash", "-c", "x"}, false},
	}
	for _, c := range cases {
		got, err := plan(c.args, envOf(c.env), c.help)
		if (err != nil) != c.err {
			t.Errorf("%s: err = %v, want error %v", c.name, err, c.err)
			continue
		}
		if !c.err && !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: plan(%q) = %q, want %q", c.name, c.args, got, c.want)
		}
	}
}

func TestCleanEnv(t *testing.T) {
	got := cleanEnv([]string{"A=1", "MONGO_INITDB_ROOT_USERNAME=u", "MONGO_INITDB_DATABASE=x", "MONGODSIM_VERSION=4.0.27"})
	want := []string{"A=1", "MONGODSIM_VERSION=4.0.27"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("cleanEnv = %q, want %q", got, want)
	}
}

func TestGiveToMongodbOwnerOnly(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to chown")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "a")
	if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(f, 1000, 1000); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := giveToMongodb(dir, filepath.Join(dir, "missing")); err != nil {
		t.Fatal(err)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(f, &st); err != nil {
		t.Fatal(err)
	}
	if st.Uid != mongodbID || st.Gid != 1000 {
		t.Fatalf("after chown: %d:%d, want %d:1000 (owner only)", st.Uid, st.Gid, mongodbID)
	}
	if err := syscall.Stat("/etc/passwd", &st); err != nil || st.Uid != 0 {
		t.Fatalf("the symlink's target was changed: uid %d (%v)", st.Uid, err)
	}
}
