package mongodsim

import (
	"fmt"
	"strconv"
	"strings"
)

// Options are the parsed command-line options.
type Options struct {
	DBPath           string
	Port             int
	BindIPs          []string
	BindIPAll        bool
	LogPath          string
	LogAppend        bool
	NoUnixSocket     bool
	UnixSocketPrefix string
	WTCacheSizeGB    float64
	Auth             bool
	NoAuth           bool
	PidFilePath      string
	SetParameters    [][2]string
	StorageEngine    string
	Quiet            bool
	Journal          bool
	Fork             bool
	ReplSet          string
	Help             bool
	Version          bool

	Argv []string
	set  map[string]bool // flags given explicitly (by name)
}

// IsSet reports whether a flag was given on the command line.
func (o *Options) IsSet(name string) bool { return o.set[name] }

// flagSpec is one row of the flag table.
type flagSpec struct {
	name      string
	value     bool   // takes a value
	repeat    bool   // may be given more than once
	minMajor  string // "" = every simulated major
	maxMajor  string // last major that has it ("" = still present)
	conflicts string // flag that may not be combined with this one
	apply     func(o *Options, v string) error
}

var flagTable = []flagSpec{
	{name: "dbpath", value: true, apply: func(o *Options, v string) error { o.DBPath = v; return nil }},
	{name: "port", value: true, apply: setPort},
	{name: "bind_ip", value: true, conflicts: "bind_ip_all", apply: setBindIP},
	{name: "bind_ip_all", minMajor: "3.6", apply: func(o *Options, _ string) error { o.BindIPAll = true; return nil }},
	{name: "logpath", value: true, apply: func(o *Options, v string) error { o.LogPath = v; return nil }},
	{name: "logappend", apply: func(o *Options, _ string) error { o.LogAppend = true; return nil }},
	{name: "nounixsocket", apply: func(o *Options, _ string) error { o.NoUnixSocket = true; return nil }},
	{name: "unixSocketPrefix", value: true, apply: func(o *Options, v string) error { o.UnixSocketPrefix = v; return nil }},
	{name: "wiredTigerCacheSizeGB", value: true, apply: setCacheSize},
	{name: "noauth", conflicts: "auth", apply: func(o *Options, _ string) error { o.NoAuth = true; return nil }},
	{name: "auth", apply: func(o *Options, _ string) error { o.Auth = true; return nil }},
	{name: "pidfilepath", value: true, apply: func(o *Options, v string) error { o.PidFilePath = v; return nil }},
	{name: "setParameter", value: true, repeat: true, apply: addSetParameter},
	{name: "storageEngine", value: true, apply: func(o *Options, v string) error { o.StorageEngine = v; return nil }},
	{name: "quiet", apply: func(o *Options, _ string) error { o.Quiet = true; return nil }},
	{name: "journal", maxMajor: "6.0", apply: func(o *Options, _ string) error { o.Journal = true; return nil }},
	{name: "fork", apply: func(o *Options, _ string) error { o.Fork = true; return nil }},
	{name: "replSet", value: true, apply: func(o *Options, v string) error { o.ReplSet = v; return nil }},
	{name: "help", apply: func(o *Options, _ string) error { o.Help = true; return nil }},
	{name: "version", apply: func(o *Options, _ string) error { o.Version = true; return nil }},
}

// usageError is a command-line problem; mongod prints it and exits with code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func parseErr(format string, a ...any) error {
	return &usageError{msg: "Error parsing command line: " + fmt.Sprintf(format, a...)}
}

// lookupFlag finds the table row for name if the binary has that option.
func lookupFlag(b Binary, name string) (flagSpec, bool) {
	for _, f := range flagTable {
		if f.name != name {
			continue
		}
		if f.minMajor != "" && !b.atLeast(f.minMajor) {
			return flagSpec{}, false
		}
		if f.maxMajor != "" && b.atLeast(f.maxMajor) && b.Release.Major != f.maxMajor {
			return flagSpec{}, false
		}
		return f, true
	}
	return flagSpec{}, false
}

// ParseArgs parses mongod's command line (args excludes argv[0]) for the given binary.
func ParseArgs(b Binary, argv0 string, args []string) (*Options, error) {
	o := &Options{Argv: append([]string{argv0}, args...), set: map[string]bool{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") || len(a) == 2 {
			if strings.HasPrefix(a, "-") {
				return nil, parseErr("unrecognised option '%s'", a)
			}
			return nil, parseErr("too many positional options have been specified on the command line")
		}
		name, val, hasVal := strings.Cut(a[2:], "=")
		f, ok := lookupFlag(b, name)
		if !ok {
			return nil, parseErr("unrecognised option '--%s'", name)
		}
		if f.value && !hasVal {
			if i+1 >= len(args) {
				return nil, parseErr("the required argument for option '--%s' is missing", name)
			}
			i++
			val = args[i]
		}
		if !f.value && hasVal {
			return nil, parseErr("option '--%s' does not take any arguments", name)
		}
		if o.set[name] && !f.repeat {
			return nil, parseErr("option '--%s' cannot be specified more than once", name)
		}
		o.set[name] = true
		if err := f.apply(o, val); err != nil {
			return nil, parseErr("the argument ('%s') for option '--%s' is invalid: %v", val, name, err)
		}
	}
	for _, f := range flagTable {
		if f.conflicts != "" && o.set[f.name] && o.set[f.conflicts] {
			return nil, parseErr("option '--%s' cannot be used with '--%s'", f.name, f.conflicts)
		}
	}
	applyDefaults(b, o)
	return o, nil
}

func applyDefaults(b Binary, o *Options) {
	if o.DBPath == "" {
		o.DBPath = "/data/db"
	}
	if !o.set["port"] {
		o.Port = 27017
	}
	if o.UnixSocketPrefix == "" {
		o.UnixSocketPrefix = "/tmp"
	}
	if len(o.BindIPs) == 0 {
		switch {
		case o.BindIPAll || !b.atLeast("3.6"):
			o.BindIPs = []string{"0.0.0.0"}
		default:
			o.BindIPs = []string{"127.0.0.1"}
		}
	}
}

func setPort(o *Options, v string) error {
	p, err := strconv.Atoi(v)
	if err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("port must be a number between 0 and 65535")
	}
	o.Port = p
	return nil
}

func setBindIP(o *Options, v string) error {
	for _, ip := range strings.Split(v, ",") {
		ip = strings.TrimSpace(ip)
		if ip == "" {
			continue
		}
		o.BindIPs = append(o.BindIPs, ip)
	}
	if len(o.BindIPs) == 0 {
		return fmt.Errorf("empty address list")
	}
	return nil
}

func setCacheSize(o *Options, v string) error {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0.25 || f > 10000 {
		return fmt.Errorf("cache size must be a number of GB between 0.25 and 10000")
	}
	o.WTCacheSizeGB = f
	return nil
}

func addSetParameter(o *Options, v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("expected name=value")
	}
	o.SetParameters = append(o.SetParameters, [2]string{k, val})
	return nil
}

// usageText is the short --help output.
func usageText(b Binary) string {
	var sb strings.Builder
	sb.WriteString("Options:\n\n")
	for _, f := range flagTable {
		if _, ok := lookupFlag(b, f.name); !ok {
			continue
		}
		arg := ""
		if f.value {
			arg = " arg"
		}
		fmt.Fprintf(&sb, "  --%s%s\n", f.name, arg)
	}
	sb.WriteString("\n(mongodsim: simulated mongod " + b.Version.String() + "; a test double, see internal/mongodsim/README.md)\n")
	return sb.String()
}
