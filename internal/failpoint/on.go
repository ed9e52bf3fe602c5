//go:build failpoints

package failpoint

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Enabled reports whether failpoints are compiled in.
const Enabled = true

// Hit acts when MONGOSTEP_FAILPOINT names this point.
func Hit(name string) {
	for _, item := range strings.Split(os.Getenv("MONGOSTEP_FAILPOINT"), ",") {
		n, action, _ := strings.Cut(strings.TrimSpace(item), "=")
		if n != name {
			continue
		}
		fmt.Fprintf(os.Stderr, "failpoint %s: %s\n", name, orDefault(action, "kill"))
		switch action {
		case "exit":
			os.Exit(99)
		case "sleep":
			time.Sleep(time.Hour)
		default:
			killSelf()
		}
	}
}

// Value returns MONGOSTEP_FAKE_<NAME>.
func Value(name string) (string, bool) {
	return os.LookupEnv("MONGOSTEP_FAKE_" + strings.ToUpper(name))
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
