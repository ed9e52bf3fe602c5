package mongodsim

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTurtleAndJournal(t *testing.T) {
	dir := t.TempDir()
	wt := WTVersion{10, 0, 2, "November 30, 2021"}
	n, err := writeJournal(dir, 5)
	if err != nil || n != 1 {
		t.Fatalf("journal %d %v", n, err)
	}
	rel, _ := LookupRelease("6.0")
	rel.WT = wt
	ck := newCheckpointer(dir, rel)
	for i := 0; i < 2; i++ {
		if err := ck.checkpoint(NewState(), n, time.Unix(1700000000+int64(i), 0)); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, TurtleName))
	lines := strings.Split(string(b), "\n")
	if lines[0] != "WiredTiger version string" || lines[1] != "WiredTiger 10.0.2: (November 30, 2021)" ||
		lines[2] != "WiredTiger version" || lines[3] != "major=10,minor=0,patch=2" || lines[4] != "file:WiredTiger.wt" ||
		!strings.Contains(lines[5], "checkpoint=(WiredTigerCheckpoint.2=(") || !strings.HasSuffix(lines[5], "checkpoint_lsn=(1,128)") {
		t.Fatalf("turtle:\n%s", b)
	}
	v, ok, err := readTurtleVersion(dir)
	if err != nil || !ok || v.Major != 10 || v.Patch != 2 || !v.less(11, 0, 0) || v.less(3, 2, 0) {
		t.Fatalf("read back %+v %v %v", v, ok, err)
	}
	n2, _ := writeJournal(dir, 4)
	logs, _ := filepath.Glob(filepath.Join(dir, "journal", "WiredTigerLog.*"))
	if n2 != 2 || len(logs) != 1 || filepath.Base(logs[0]) != "WiredTigerLog.0000000002" {
		t.Fatalf("second journal %d %v", n2, logs)
	}
	h, _ := os.ReadFile(logs[0])
	if binary.LittleEndian.Uint32(h[16:]) != 0x101064 || binary.LittleEndian.Uint16(h[20:]) != 4 ||
		binary.LittleEndian.Uint64(h[24:]) != 100<<20 || binary.LittleEndian.Uint32(h[0:]) != 128 {
		t.Fatalf("log header % x", h[:32])
	}
}

func TestKernelRules(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, tc := range []struct {
		version, kernel, tunables string
		want                      kernelOutcome
	}{
		{"8.0.28", "6.19.0", "", kernelGuardRefuses},
		{"8.0.27", "6.19.3-arch1", "", kernelSegvLater},
		{"8.2.12", "7.0.0-1-generic", "", kernelSegvLater},
		{"8.3.8", "6.19.0", "", kernelSegvLater},
		{"8.3.9", "6.19.0", "", kernelGuardRefuses},
		{"9.0.0", "6.19.0", "", kernelGuardRefuses},
		{"9.0.0", "6.18.44-fc", "", kernelFine},
		{"8.0.28", "6.19.0", "glibc.cpu.hwcaps=-SHSTK:glibc.pthread.rseq=1", kernelFine},
		{"8.0.28", "6.19.0", "glibc.pthread.rseq=0", kernelGuardRefuses},
		{"7.0.37", "6.19.0", "", kernelFine},
	} {
		got, _ := checkKernel(mustBinary(t, tc.version), env(map[string]string{EnvKernel: tc.kernel, "GLIBC_TUNABLES": tc.tunables}))
		if got != tc.want {
			t.Errorf("%s on %s (%q): %v, want %v", tc.version, tc.kernel, tc.tunables, got, tc.want)
		}
	}
}
