package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mongostep/mongostep/internal/migrate"
)

func TestDefaultPaths(t *testing.T) {
	root := t.TempDir()
	t.Setenv("MONGOSTEP_CLEARML_ROOT", root)
	data := filepath.Join(root, "data")
	if got := defaultSource(); got != filepath.Join(data, "mongo") {
		t.Fatalf("fresh host: source %s", got)
	}
	// v1.2+ host: only mongo_4 exists -> upgraded in place
	if err := os.MkdirAll(filepath.Join(data, "mongo_4", "db"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := defaultSource()
	if src != filepath.Join(data, "mongo_4") || defaultTarget(src) != src {
		t.Fatalf("v1.2+ host: source %s target %s", src, defaultTarget(src))
	}
	// v1.1 host: mongo with db/ -> mongo_4 beside it
	if err := os.MkdirAll(filepath.Join(data, "mongo", "db"), 0o755); err != nil {
		t.Fatal(err)
	}
	src = defaultSource()
	if src != filepath.Join(data, "mongo") || defaultTarget(src) != filepath.Join(data, "mongo_4") {
		t.Fatalf("v1.1 host: source %s target %s", src, defaultTarget(src))
	}
	if got := defaultTarget("/srv/unifi/db"); got != "/srv/unifi/db" {
		t.Fatalf("other products are upgraded in place: %s", got)
	}
}

func TestExitCodes(t *testing.T) {
	cases := map[error]int{
		nil:                ExitOK,
		&usageError{"x"}:   ExitUsage,
		errors.New("boom"): ExitFailed,
		&migrate.Error{Kind: migrate.KindPreflight}:                       ExitPreflight,
		&migrate.Error{Kind: migrate.KindVerification}:                    ExitVerification,
		&migrate.Error{Kind: migrate.KindStep}:                            ExitStep,
		&migrate.Error{Kind: migrate.KindLocked}:                          ExitLocked,
		&migrate.Error{Kind: migrate.KindRestore}:                         ExitRestore,
		&migrate.Error{Kind: migrate.KindInterrupted}:                     ExitInterrupted,
		&migrate.Error{Kind: migrate.KindDeclined}:                        ExitFailed,
		fmt.Errorf("wrapped: %w", &migrate.Error{Kind: migrate.KindStep}): ExitStep,
	}
	for err, want := range cases {
		if got := exitCode(err); got != want {
			t.Errorf("exitCode(%v) = %d, want %d", err, got, want)
		}
	}
}

func TestMainVersionAndUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"--version"}, strings.NewReader(""), &out, &errb); code != 0 || !strings.Contains(out.String(), "mongostep dev") {
		t.Fatalf("--version: %d %q %q", code, out.String(), errb.String())
	}
	out.Reset()
	if code := Main([]string{"version", "--json"}, strings.NewReader(""), &out, &errb); code != 0 || !strings.Contains(out.String(), `"go":"go1.`) {
		t.Fatalf("version --json: %d %q", code, out.String())
	}
	errb.Reset()
	if code := Main([]string{"nosuch"}, strings.NewReader(""), &out, &errb); code != ExitUsage || !strings.Contains(errb.String(), "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errb.String())
	}
}
