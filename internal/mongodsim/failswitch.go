package mongodsim

import (
	"fmt"
	"strings"
	"time"
)

// EnvFail holds the failure switches: a comma list of name[=arg][@major].
const EnvFail = "MONGODSIM_FAIL"

// Failure switch names.
const (
	FailCrashStart   = "crash-start"    // exit 14 abruptly right after writing the pid into mongod.lock
	FailCrashSetFCV  = "crash-setfcv"   // persist the transitional FCV document, then SIGKILL itself
	FailHang         = "hang"           // accept TCP connections, never answer
	FailHangShutdown = "hang-shutdown"  // ignore SIGTERM/SIGINT and the shutdown command
	FailSlowStart    = "slow-start"     // =DUR: wait before listening
	FailSlowShutdown = "slow-shutdown"  // =DUR: wait before finishing a clean shutdown
	FailLoseDocument = "lose-document"  // at start-up, lose the last document of the first user collection
	FailCannotUpgrd  = "cannot-upgrade" // setFeatureCompatibilityVersion upgrades (and dry runs) fail with CannotUpgrade
)

var failNeedsDuration = map[string]bool{
	FailCrashStart: false, FailCrashSetFCV: false, FailHang: false, FailHangShutdown: false,
	FailSlowStart: true, FailSlowShutdown: true, FailLoseDocument: false, FailCannotUpgrd: false,
}

// failures are the switches active for this binary's major.
type failures struct {
	on  map[string]bool
	dur map[string]time.Duration
}

// parseFailures reads the switch list; switches for other majors are dropped.
func parseFailures(spec string, b Binary) (failures, error) {
	f := failures{on: map[string]bool{}, dur: map[string]time.Duration{}}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		body, major, hasMajor := strings.Cut(item, "@")
		name, arg, hasArg := strings.Cut(body, "=")
		needsDur, known := failNeedsDuration[name]
		if !known {
			return f, fmt.Errorf("%s: unknown switch %q (known: crash-start, crash-setfcv, hang, hang-shutdown, slow-start=DUR, slow-shutdown=DUR, lose-document, cannot-upgrade)", EnvFail, name)
		}
		if hasMajor {
			if _, ok := fcvNum(major); !ok {
				return f, fmt.Errorf("%s: %q: major must look like 4.0", EnvFail, item)
			}
			if major != b.Release.Major {
				continue
			}
		}
		if needsDur != hasArg {
			return f, fmt.Errorf("%s: %q: %s %s", EnvFail, item, name, map[bool]string{true: "needs =DURATION (e.g. =2s)", false: "takes no argument"}[needsDur])
		}
		if needsDur {
			d, err := time.ParseDuration(arg)
			if err != nil || d < 0 {
				return f, fmt.Errorf("%s: %q: bad duration %q", EnvFail, item, arg)
			}
			f.dur[name] = d
		}
		f.on[name] = true
	}
	return f, nil
}

func (f failures) has(name string) bool { return f.on[name] }

func (f failures) duration(name string) time.Duration { return f.dur[name] }
