package mongo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
	"github.com/mongostep/mongostep/internal/plan"
)

func TestMain(m *testing.M) { os.Exit(simtest.RunMain(m)) }

func start(t *testing.T, version, db string) (*simtest.Proc, *Client) {
	t.Helper()
	dirs := simtest.InstallVersions(t, t.TempDir(), version)
	var major string
	for k := range dirs {
		major = k
	}
	p := simtest.Start(t, filepath.Join(dirs[major], "mongod"), db, "MONGODSIM_FSYNC=0")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Connect(ctx, p.Addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return p, c
}

func TestFCVConfirmAndInventory(t *testing.T) {
	ctx := context.Background()
	db := t.TempDir()
	dirs := simtest.InstallVersions(t, t.TempDir(), "6.0.26", "7.0.37")
	ds := simtest.ClearML(7, 1)
	simtest.Seed(t, dirs["6.0"], db, ds)

	p := simtest.Start(t, filepath.Join(dirs["7.0"], "mongod"), db, "MONGODSIM_FSYNC=0")
	c, err := Connect(ctx, p.Addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if v, err := c.Version(ctx); err != nil || v != "7.0.37" {
		t.Fatalf("Version = %q, %v", v, err)
	}
	before, err := c.Inventory(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, docs := before.Totals(); docs != int64(ds.DocCount()) {
		t.Fatalf("inventory counts %d documents, the data set has %d", docs, ds.DocCount())
	}
	fcv, err := c.FCV(ctx)
	if err != nil || !fcv.At(plan.MustVersion("6.0")) {
		t.Fatalf("FCV = %v, %v", fcv, err)
	}
	// 7.0 refuses an upgrade without confirm: true, with the server's code
	err = c.SetFCV(ctx, plan.MustVersion("7.0"), false, false)
	var ce *CommandError
	if !errors.As(err, &ce) || ce.Code() != 7369100 {
		t.Fatalf("SetFCV without confirm = %v", err)
	}
	if err := c.SetFCV(ctx, plan.MustVersion("7.0"), true, false); err != nil {
		t.Fatal(err)
	}
	if fcv, _ := c.FCV(ctx); !fcv.At(plan.MustVersion("7.0")) {
		t.Fatalf("FCV after = %v", fcv)
	}
	after, err := c.Inventory(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// raising the FCV changes admin.system.version's FCV document only,
	// which the inventory leaves out
	if diff := diffInventories(before, after); diff != "" {
		t.Fatalf("inventory changed across setFCV: %s", diff)
	}
	if err := c.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown = %v", err)
	}
	if ex, err := p.Wait(20 * time.Second); err != nil || ex.Code != 0 {
		t.Fatalf("after shutdown: %v %v", ex, err)
	}
}

func TestSetFCVConfirmRejectedBefore70(t *testing.T) {
	_, c := start(t, "6.0.26", t.TempDir())
	err := c.SetFCV(context.Background(), plan.MustVersion("6.0"), true, false)
	if err == nil {
		t.Fatal("6.0 accepted confirm: true; mongostep must not send it before 7.0")
	}
}

func TestConnectGivesUpWhenTheProcessExits(t *testing.T) {
	exited := make(chan struct{})
	close(exited)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := Connect(ctx, "127.0.0.1:1", exited); !errors.Is(err, ErrExited) {
		t.Fatalf("Connect = %v, want ErrExited", err)
	}
}

func TestWireVersionRefusalSaidPlainly(t *testing.T) {
	err := wireVersionError(errors.New("server at 127.0.0.1:1 requires wire version 30, but this version of the Go driver only supports up to 25"))
	if err == nil || !strings.Contains(err.Error(), "cannot talk to this server") || !strings.Contains(err.Error(), "requires wire version 30") {
		t.Fatalf("got %v", err)
	}
	if wireVersionError(errors.New("connection refused")) != nil {
		t.Fatal("an ordinary connection error is not a wire-version refusal")
	}
}
