package mongodsim_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

// testVersions is one full version per simulated major.
var testVersions = []string{"3.4.24", "3.6.23", "4.0.28", "4.2.24", "4.4.29", "5.0.31", "6.0.26", "7.0.37", "8.0.26", "8.2.12", "8.3.9", "9.0.4"}

// safeKernel keeps 8.x/9.0 away from the kernel-6.19 behaviour whatever the host runs.
const safeKernel = "MONGODSIM_KERNEL=6.8.0"

// install puts every test version under a temporary bin dir: major -> dir.
func install(t *testing.T) map[string]string {
	t.Helper()
	return simtest.InstallVersions(t, t.TempDir(), testVersions...)
}

func mongodOf(dirs map[string]string, major string) string {
	return filepath.Join(dirs[major], "mongod")
}

func newDBPath(t *testing.T) string {
	t.Helper()
	d := filepath.Join(t.TempDir(), "db")
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

func connect(t *testing.T, p *simtest.Proc) *mongo.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := mongo.Connect(ctx, options.Client().ApplyURI(p.URI()).SetServerSelectionTimeout(5*time.Second))
	if err != nil {
		t.Fatalf("connect %s: %v", p.URI(), err)
	}
	t.Cleanup(func() { disconnect(c) })
	return c
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func adminCmd(t *testing.T, c *mongo.Client, cmd bson.D) (bson.Raw, error) {
	t.Helper()
	return c.Database("admin").RunCommand(ctx(t), cmd).Raw()
}

// fcvOf returns getParameter's featureCompatibilityVersion document.
func fcvOf(t *testing.T, c *mongo.Client) bson.Raw {
	t.Helper()
	r, err := adminCmd(t, c, bson.D{{Key: "getParameter", Value: 1}, {Key: "featureCompatibilityVersion", Value: 1}})
	if err != nil {
		t.Fatalf("getParameter: %v", err)
	}
	d, ok := r.Lookup("featureCompatibilityVersion").DocumentOK()
	if !ok {
		t.Fatalf("getParameter returned %s", r)
	}
	return d
}

func fcvVersion(t *testing.T, c *mongo.Client) string {
	t.Helper()
	v, _ := fcvOf(t, c).Lookup("version").StringValueOK()
	return v
}

func commandCode(err error) int32 {
	var ce mongo.CommandError
	if errorsAs(err, &ce) {
		return ce.Code
	}
	return 0
}

func mustContain(t *testing.T, what, text string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Fatalf("%s does not contain %q:\n%s", what, s, text)
		}
	}
}

func lockContent(t *testing.T, dbpath string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dbpath, "mongod.lock"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func metricsFiles(t *testing.T, dbpath string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dbpath, "diagnostic.data", "metrics.20*"))
	return m
}

// disconnect ends the client quickly (the server may already be gone).
func disconnect(c *mongo.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_ = c.Disconnect(ctx)
}
