package mongodsim_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

func TestShutdownCommandFromLoopback(t *testing.T) {
	dirs := install(t)
	for _, major := range []string{"3.4", "4.4"} {
		db := newDBPath(t)
		p := simtest.Start(t, mongodOf(dirs, major), db)
		wc, err := simtest.Dial(p.Addr(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_, err = wc.Run("test", bson.D{{Key: "shutdown", Value: 1}})
		if err == nil || !strings.Contains(err.Error(), "may only be run against the admin database") {
			t.Fatalf("%s shutdown on test db: %v", major, err)
		}
		if _, err := wc.Run("admin", bson.D{{Key: "shutdown", Value: 1}, {Key: "force", Value: true}}); err == nil {
			t.Fatalf("%s: shutdown answered instead of closing the connection", major)
		}
		e, err := p.Wait(10 * time.Second)
		if err != nil || e.Code != 0 {
			t.Fatalf("%s after shutdown: %s %v\n%s", major, e, err, p.Log())
		}
		if lockContent(t, db) != "" {
			t.Fatalf("%s: shutdown left mongod.lock non-empty", major)
		}
	}
}

// TestShutdownCommandFromOtherHost connects through a non-loopback address of this machine,
// which mongod does not treat as localhost.
func TestShutdownCommandFromOtherHost(t *testing.T) {
	ip := nonLoopbackIP(t)
	dirs := install(t)
	p := simtest.StartWith(t, simtest.Options{Bin: mongodOf(dirs, "6.0"), DBPath: newDBPath(t), Args: []string{"--bind_ip", "127.0.0.1," + ip}})
	wc, err := simtest.Dial(net.JoinHostPort(ip, itoa(p.Port())), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer wc.Close()
	_, err = wc.Run("admin", bson.D{{Key: "shutdown", Value: 1}})
	ce, ok := err.(*simtest.CommandError)
	if !ok || ce.Code != 13 || ce.CodeName != "Unauthorized" || ce.Message != "shutdown must run from localhost when running db without auth" {
		t.Fatalf("shutdown from %s: %v", ip, err)
	}
	if _, ok := p.Exited(); ok {
		t.Fatal("server exited after a refused shutdown")
	}
	p.Stop()
}

func nonLoopbackIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("no interface addresses: %v", err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			return n.IP.String()
		}
	}
	t.Skip("this machine has no non-loopback IPv4 address")
	return ""
}

func TestSignalsShutDownCleanly(t *testing.T) {
	dirs := install(t)
	db := newDBPath(t)
	p := simtest.Start(t, mongodOf(dirs, "5.0"), db)
	p.Stop()
	mustContain(t, "log", p.Log(), `"msg":"Received signal","attr":{"signal":15,"error":"Terminated"}`, `"exitCode":0`)
	if lockContent(t, db) != "" {
		t.Fatal("SIGTERM left mongod.lock non-empty")
	}
}

func TestOpQueryRules(t *testing.T) {
	dirs := install(t)
	for major, wantOK := range map[string]bool{"3.4": true, "5.0": true, "6.0": false, "9.0": false} {
		p := simtest.Start(t, mongodOf(dirs, major), newDBPath(t), safeKernel)
		wc, err := simtest.Dial(p.Addr(), 5*time.Second) // the isMaster handshake is OP_QUERY
		if err != nil {
			t.Fatalf("%s handshake: %v", major, err)
		}
		_, err = wc.RunOpQuery("admin", bson.D{{Key: "listDatabases", Value: 1}})
		if wantOK != (err == nil) {
			t.Fatalf("%s OP_QUERY listDatabases: %v", major, err)
		}
		if !wantOK {
			mustContain(t, "error", err.Error(), "Unsupported OP_QUERY command: listDatabases", "code 352")
		}
		if major != "3.4" {
			if _, err := wc.RunOpMsg("admin", bson.D{{Key: "listDatabases", Value: 1}}, nil); err != nil {
				t.Fatalf("%s OP_MSG: %v", major, err)
			}
		}
		_ = wc.Close()
		p.Stop()
	}
}

func TestInsertWithDocumentSequence(t *testing.T) {
	dirs := install(t)
	p := simtest.Start(t, mongodOf(dirs, "7.0"), newDBPath(t))
	wc, err := simtest.Dial(p.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	docs := []bson.Raw{mustRaw(bson.D{{Key: "b", Value: 1}, {Key: "_id", Value: "x"}}), mustRaw(bson.D{{Key: "_id", Value: "x"}})}
	r, err := wc.RunOpMsg("app", bson.D{{Key: "insert", Value: "c"}, {Key: "ordered", Value: false}}, map[string][]bson.Raw{"documents": docs})
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Lookup("n").Int32(); n != 1 {
		t.Fatalf("inserted %d: %s", n, r)
	}
	we := r.Lookup("writeErrors", "0").Document()
	if we.Lookup("code").Int32() != 11000 || we.Lookup("index").Int32() != 1 ||
		we.Lookup("errmsg").StringValue() != `E11000 duplicate key error collection: app.c index: _id_ dup key: { _id: "x" }` {
		t.Fatalf("writeErrors: %s", we)
	}
	got, err := simtest.FindAll(wc, "app", "c")
	if err != nil || len(got) != 1 || got[0].String() != mustRaw(bson.D{{Key: "_id", Value: "x"}, {Key: "b", Value: 1}}).String() {
		t.Fatalf("stored %v %v (the server moves _id to the front)", got, err)
	}
	r, err = wc.Run("admin", bson.D{{Key: "getLog", Value: "global"}})
	if err != nil || !strings.Contains(r.String(), "Waiting for connections") {
		t.Fatalf("getLog: %v %v", r, err)
	}
	r, err = wc.Run("admin", bson.D{{Key: "getCmdLineOpts", Value: 1}})
	if err != nil || r.Lookup("parsed", "net", "bindIp").StringValue() != "127.0.0.1" {
		t.Fatalf("getCmdLineOpts: %v %v", r, err)
	}
	_ = wc.Close()
	p.Stop()
}

func TestUnixSocket(t *testing.T) {
	dirs := install(t)
	sockDir := t.TempDir()
	db := newDBPath(t)
	p := simtest.StartWith(t, simtest.Options{Bin: mongodOf(dirs, "4.2"), DBPath: db, Args: []string{"--unixSocketPrefix", sockDir}})
	sock := filepath.Join(sockDir, "mongodb-"+itoa(p.Port())+".sock")
	wc, err := simtest.Dial(sock, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", sock, err)
	}
	if _, err := wc.Run("admin", bson.D{{Key: "shutdown", Value: 1}}); err == nil {
		t.Fatal("shutdown over the unix socket answered")
	}
	if e, err := p.Wait(10 * time.Second); err != nil || e.Code != 0 {
		t.Fatalf("shutdown over the unix socket (counts as localhost): %s %v", e, err)
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Fatalf("socket file left behind: %v", err)
	}
}

func TestMalformedAndUnsupportedRequests(t *testing.T) {
	dirs := install(t)
	p := simtest.Start(t, mongodOf(dirs, "5.0"), newDBPath(t))
	wc, err := simtest.Dial(p.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer wc.Close()
	for _, tc := range []struct {
		cmd  bson.D
		code int32
		msg  string
	}{
		{bson.D{{Key: "aggregate", Value: "c"}, {Key: "pipeline", Value: bson.A{}}, {Key: "cursor", Value: 5}}, 2, "cannot process aggregate"},
		{bson.D{{Key: "find", Value: "c"}, {Key: "filter", Value: bson.D{{Key: "n", Value: bson.D{{Key: "$gt", Value: 1}}}}}}, 2, "only equality filters are simulated"},
		{bson.D{{Key: "getMore", Value: int64(42)}, {Key: "collection", Value: "c"}}, 43, "cursor id 42 not found"},
		{bson.D{{Key: "listIndexes", Value: "nope"}}, 26, "ns does not exist: app.nope"},
		{bson.D{{Key: "getParameter", Value: 1}, {Key: "noSuchParameter", Value: 1}}, 13, "may only be run against the admin database"},
	} {
		_, err := wc.Run("app", tc.cmd)
		ce, ok := err.(*simtest.CommandError)
		if !ok || ce.Code != tc.code || !strings.Contains(ce.Message, tc.msg) {
			t.Errorf("%v: %v, want code %d %q", tc.cmd, err, tc.code, tc.msg)
		}
	}
	if _, err := wc.Run("admin", bson.D{{Key: "ping", Value: 1}}); err != nil {
		t.Fatalf("server hurt by bad requests: %v", err)
	}
	p.Stop()
}
