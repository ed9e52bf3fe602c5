package mongodsim

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

func TestLogFormats(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	var jb, tb bytes.Buffer
	jl, tl := newLogger(true, &jb), newLogger(false, &tb)
	jl.now, tl.now = func() time.Time { return at }, func() time.Time { return at }
	e := Entry{Sev: 'W', Comp: "STORAGE", ID: 22271, Msg: "Detected unclean shutdown - Lock file is not empty",
		Attr: bson.D{{Key: "lockFile", Value: "/d/mongod.lock"}}, StartupWarning: true}
	jl.Log(e)
	tl.Log(Entry{Sev: 'W', Text: "Detected unclean shutdown - /d/mongod.lock is not empty."})
	var parsed map[string]any
	if err := json.Unmarshal(jb.Bytes(), &parsed); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, jb.String())
	}
	if parsed["s"] != "W" || parsed["c"] != "STORAGE" || parsed["id"].(float64) != 22271 || parsed["ctx"] != "initandlisten" ||
		parsed["attr"].(map[string]any)["lockFile"] != "/d/mongod.lock" || !strings.HasPrefix(jb.String(), `{"t":{"$date":"2026-01-02T03:04:05.006+00:00"},"s":"W",  "c":"STORAGE",  "id":22271,   "ctx"`) {
		t.Fatalf("json line %s", jb.String())
	}
	if tb.String() != "2026-01-02T03:04:05.006+0000 W -        [initandlisten] Detected unclean shutdown - /d/mongod.lock is not empty.\n" {
		t.Fatalf("text line %q", tb.String())
	}
	if w, n := jl.snapshot("startupWarnings"); n != 1 || len(w) != 1 {
		t.Fatalf("startup warnings %v", w)
	}
}

func TestResolveVersion(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if _, err := resolveVersion(dir+"/mongod", get); err == nil || !strings.Contains(err.Error(), "no version to simulate") {
		t.Fatalf("nothing configured: %v", err)
	}
	env[EnvVersion] = " 6.0.26 "
	if v, err := resolveVersion(dir+"/mongod", get); err != nil || v.full != "6.0.26" {
		t.Fatalf("env: %+v %v", v, err)
	}
}
