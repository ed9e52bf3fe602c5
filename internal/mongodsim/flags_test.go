package mongodsim

import (
	"reflect"
	"strings"
	"testing"
)

func mustBinary(t testing.TB, v string) Binary {
	t.Helper()
	b, err := NewBinary(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseArgs(t *testing.T) {
	b40, b34 := mustBinary(t, "4.0.28"), mustBinary(t, "3.4.24")
	o, err := ParseArgs(b40, "mongod", []string{"--dbpath=/d", "--port", "28000", "--bind_ip", "127.0.0.1,10.0.0.1",
		"--setParameter", "a=1", "--setParameter=b=x", "--logpath", "/l", "--logappend", "--wiredTigerCacheSizeGB=0.5", "--journal"})
	if err != nil {
		t.Fatal(err)
	}
	if o.DBPath != "/d" || o.Port != 28000 || !reflect.DeepEqual(o.BindIPs, []string{"127.0.0.1", "10.0.0.1"}) ||
		len(o.SetParameters) != 2 || o.SetParameters[1] != [2]string{"b", "x"} || !o.LogAppend || o.WTCacheSizeGB != 0.5 || !o.Journal {
		t.Fatalf("parsed %+v", o)
	}
	d, _ := ParseArgs(b40, "mongod", nil)
	if d.DBPath != "/data/db" || d.Port != 27017 || d.BindIPs[0] != "127.0.0.1" {
		t.Fatalf("4.0 defaults %+v", d)
	}
	d, _ = ParseArgs(b34, "mongod", nil)
	if d.BindIPs[0] != "0.0.0.0" {
		t.Fatalf("3.4 binds all interfaces by default, got %v", d.BindIPs)
	}
	for _, tc := range []struct {
		b    Binary
		args []string
		want string
	}{
		{b40, []string{"--foo"}, "unrecognised option '--foo'"},
		{b40, []string{"-v"}, "unrecognised option '-v'"},
		{b40, []string{"extra"}, "too many positional options"},
		{b34, []string{"--bind_ip_all"}, "unrecognised option '--bind_ip_all'"},
		{mustBinary(t, "7.0.1"), []string{"--journal"}, "unrecognised option '--journal'"},
		{b40, []string{"--dbpath"}, "the required argument for option '--dbpath' is missing"},
		{b40, []string{"--quiet=yes"}, "does not take any arguments"},
		{b40, []string{"--port", "1", "--port", "2"}, "cannot be specified more than once"},
		{b40, []string{"--port", "99999"}, "for option '--port' is invalid"},
		{b40, []string{"--auth", "--noauth"}, "cannot be used with"},
		{b40, []string{"--setParameter", "novalue"}, "expected name=value"},
	} {
		_, err := ParseArgs(tc.b, "mongod", tc.args)
		if err == nil || !strings.HasPrefix(err.Error(), "Error parsing command line: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: %v, want %q", tc.b.Version, tc.args, err, tc.want)
		}
	}
}

func TestParsedOptions(t *testing.T) {
	o, err := ParseArgs(mustBinary(t, "4.4.1"), "mongod", []string{"--dbpath", "/d", "--auth", "--setParameter", "x=1"})
	if err != nil {
		t.Fatal(err)
	}
	got := renderDoc(o.parsedOptions())
	want := `{ security: { authorization: "enabled" }, setParameter: { x: "1" }, storage: { dbPath: "/d" } }`
	if got != want {
		t.Fatalf("parsed options %s, want %s", got, want)
	}
}

func TestParseFailures(t *testing.T) {
	b := mustBinary(t, "4.4.29")
	f, err := parseFailures("crash-start@4.0, hang-shutdown@4.4, slow-start=2s,slow-shutdown=150ms@4.4", b)
	if err != nil {
		t.Fatal(err)
	}
	if f.has(FailCrashStart) || !f.has(FailHangShutdown) || f.duration(FailSlowStart).Seconds() != 2 || f.duration(FailSlowShutdown).Milliseconds() != 150 {
		t.Fatalf("parsed %+v", f)
	}
	for _, bad := range []string{"boom", "slow-start", "hang=1s", "slow-start=soon", "hang@four"} {
		if _, err := parseFailures(bad, b); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
