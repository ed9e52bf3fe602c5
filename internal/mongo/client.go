// Package mongo is what mongostep asks a running mongod, through the official
// Go driver (v1.17, whose supported server range covers 3.6 through 8.0 and
// which still connects to 8.2–9.0): its version, its featureCompatibilityVersion,
// raising it, an inventory of the data, and a clean shutdown.
package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/mongostep/mongostep/internal/plan"
)

// Client is a direct connection to one standalone mongod.
type Client struct {
	addr string
	c    *mongo.Client
}

// ErrExited is returned by Connect when the server process ended before it
// answered.
var ErrExited = errors.New("mongod exited before it answered")

// Connect dials addr (host:port) and waits until the server answers a ping,
// or ctx ends, or exited is closed (the process died).
func Connect(ctx context.Context, addr string, exited <-chan struct{}) (*Client, error) {
	opts := options.Client().
		SetHosts([]string{addr}).
		SetDirect(true).
		SetServerSelectionTimeout(2 * time.Second).
		SetConnectTimeout(2 * time.Second).
		SetRetryWrites(false).
		SetAppName("mongostep")
	c, err := mongo.Connect(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("connect to mongod at %s: %w", addr, err)
	}
	cl := &Client{addr: addr, c: c}
	var last error
	for {
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		last = c.Database("admin").RunCommand(pctx, bson.D{{Key: "ping", Value: 1}}).Err()
		cancel()
		if last == nil {
			return cl, nil
		}
		if wireErr := wireVersionError(last); wireErr != nil {
			_ = cl.Close()
			return nil, wireErr
		}
		select {
		case <-exited:
			_ = cl.Close()
			return nil, ErrExited
		case <-ctx.Done():
			_ = cl.Close()
			return nil, fmt.Errorf("mongod at %s did not answer: %w (last error: %v)", addr, ctx.Err(), last)
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// wireVersionError turns the driver's wire-version refusal into a plain
// statement of what happened.
func wireVersionError(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "wire version") {
		return fmt.Errorf("mongostep's MongoDB driver cannot talk to this server (%s); this server version is outside the driver's supported range", msg)
	}
	return nil
}

// Close drops the connection.
func (c *Client) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.c.Disconnect(ctx)
}

func (c *Client) admin(ctx context.Context, cmd bson.D, out any) error {
	res := c.c.Database("admin").RunCommand(ctx, cmd)
	if err := res.Err(); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return res.Decode(out)
}

// Version is the server's full version, e.g. "4.4.9".
func (c *Client) Version(ctx context.Context) (string, error) {
	var out struct {
		Version string `bson:"version"`
	}
	if err := c.admin(ctx, bson.D{{Key: "buildInfo", Value: 1}}, &out); err != nil {
		return "", fmt.Errorf("buildInfo: %w", err)
	}
	return out.Version, nil
}

// FCV reads the featureCompatibilityVersion document.
func (c *Client) FCV(ctx context.Context) (plan.FCV, error) {
	var out struct {
		FCV bson.RawValue `bson:"featureCompatibilityVersion"`
	}
	err := c.admin(ctx, bson.D{{Key: "getParameter", Value: 1}, {Key: "featureCompatibilityVersion", Value: 1}}, &out)
	if err != nil {
		return plan.FCV{}, fmt.Errorf("getParameter featureCompatibilityVersion: %w", err)
	}
	var f plan.FCV
	if s, ok := out.FCV.StringValueOK(); ok { // 3.4 returns a plain string
		return plan.FCV{Version: s}, nil
	}
	if err := out.FCV.Unmarshal(&f); err != nil || f.Version == "" {
		return plan.FCV{}, fmt.Errorf("getParameter featureCompatibilityVersion: unexpected answer %s", out.FCV)
	}
	return f, nil
}

// SetFCV runs setFeatureCompatibilityVersion. confirm is sent only when true
// (servers before 7.0 reject the field); dryRun likewise (8.3+).
func (c *Client) SetFCV(ctx context.Context, v plan.Version, confirm, dryRun bool) error {
	cmd := bson.D{{Key: "setFeatureCompatibilityVersion", Value: v.String()}}
	if confirm {
		cmd = append(cmd, bson.E{Key: "confirm", Value: true})
	}
	if dryRun {
		cmd = append(cmd, bson.E{Key: "dryRun", Value: true})
	}
	if err := c.admin(ctx, cmd, nil); err != nil {
		what := "setFeatureCompatibilityVersion"
		if dryRun {
			what += " (dry run)"
		}
		return &CommandError{Command: fmt.Sprintf("%s %q", what, v.String()), Err: err}
	}
	return nil
}

// Shutdown asks the server to shut down cleanly. The server answers by
// closing the connection, so a network error is the expected outcome.
func (c *Client) Shutdown(ctx context.Context) error {
	err := c.admin(ctx, bson.D{{Key: "shutdown", Value: 1}, {Key: "timeoutSecs", Value: 60}}, nil)
	if err == nil || mongo.IsNetworkError(err) || isClosed(err) {
		return nil
	}
	return &CommandError{Command: "shutdown", Err: err}
}

func isClosed(err error) bool {
	msg := err.Error()
	for _, s := range []string{"EOF", "connection reset", "connection closed", "socket was unexpectedly closed", "broken pipe", "server selection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// CommandError is a command the server refused, with its code when it gave one.
type CommandError struct {
	Command string
	Err     error
}

func (e *CommandError) Error() string { return fmt.Sprintf("%s: %v", e.Command, e.Err) }
func (e *CommandError) Unwrap() error { return e.Err }

// Name is the server's codeName ("CannotUpgrade"), or "".
func (e *CommandError) Name() string {
	var ce mongo.CommandError
	if errors.As(e.Err, &ce) {
		return ce.Name
	}
	return ""
}

// Code is the server's error code, or 0.
func (e *CommandError) Code() int {
	var ce mongo.CommandError
	if errors.As(e.Err, &ce) {
		return int(ce.Code)
	}
	return 0
}
