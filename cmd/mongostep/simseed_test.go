package main_test

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

// simseedMain is the script command
//
//	simseed [-layout clearml] [-scale N] [-fcv X.Y] [-unclean] [-serve] BINDIR DIR
//
// It starts BINDIR/mongod (the simulator) on DIR (a bare dbpath, or DIR/db
// with DIR/configdb for ClearML's layout), inserts the deterministic
// ClearML-like data set over the wire protocol, optionally sets the FCV, and
// shuts the server down cleanly (or kills it with -unclean, or leaves it
// running with -serve).
func simseedMain() int {
	if err := simseed(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "simseed:", err)
		return 1
	}
	return 0
}

func simseed(args []string) error {
	fl := flag.NewFlagSet("simseed", flag.ContinueOnError)
	layout := fl.String("layout", "dbpath", "dbpath or clearml")
	scale := fl.Int("scale", 1, "data set size (1: a few hundred documents)")
	fcv := fl.String("fcv", "", "set this featureCompatibilityVersion after seeding")
	unclean := fl.Bool("unclean", false, "kill the server instead of shutting it down")
	serve := fl.Bool("serve", false, "leave the server running (a live server on the data)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 2 {
		return fmt.Errorf("usage: simseed [flags] BINDIR DIR")
	}
	bin, dbpath := filepath.Join(fl.Arg(0), "mongod"), fl.Arg(1)
	if *layout == "clearml" {
		if err := os.MkdirAll(filepath.Join(dbpath, "configdb"), 0o755); err != nil {
			return err
		}
		dbpath = filepath.Join(dbpath, "db")
	}
	if err := os.MkdirAll(dbpath, 0o755); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(os.TempDir(), "simseed-"+strconv.Itoa(port)+".log")
	cmd := exec.Command(bin, "--dbpath", dbpath, "--port", strconv.Itoa(port), "--bind_ip", "127.0.0.1", "--logpath", logPath)
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := insertAll(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), simtest.ClearML(1, *scale), *fcv); err != nil {
		_ = cmd.Process.Kill()
		log, _ := os.ReadFile(logPath)
		return fmt.Errorf("%w\n%s", err, log)
	}
	if *serve {
		return cmd.Process.Release()
	}
	sig := syscall.SIGTERM
	if *unclean {
		sig = syscall.SIGKILL
	}
	_ = cmd.Process.Signal(sig)
	err = cmd.Wait()
	if !*unclean && err != nil {
		return fmt.Errorf("simulator did not shut down cleanly: %v", err)
	}
	return nil
}

func insertAll(addr string, ds simtest.Dataset, fcv string) error {
	var c *simtest.WireClient
	var err error
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if c, err = simtest.Dial(addr, 5*time.Second); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		return err
	}
	defer c.Close()
	if err := simtest.SeedAddr(addr, ds); err != nil {
		return err
	}
	if fcv != "" {
		if _, err := c.Run("admin", bson.D{{Key: "setFeatureCompatibilityVersion", Value: fcv}}); err != nil {
			return fmt.Errorf("setFeatureCompatibilityVersion %s: %w", fcv, err)
		}
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
