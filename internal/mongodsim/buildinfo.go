package mongodsim

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"runtime"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
)

// gitVersion is a fake but stable commit hash per version.
func (b Binary) gitVersion() string {
	sum := sha1.Sum([]byte("mongodsim/" + b.Version.String()))
	return hex.EncodeToString(sum[:])
}

func distArch() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	default:
		return runtime.GOARCH
	}
}

// versionText is what `mongod --version` prints (spec §6): plain lines up to 4.2,
// "Build Info: {" + pretty JSON from 4.4 on.
func (b Binary) versionText() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "db version v%s\n", b.Version)
	arch := distArch()
	if !b.JSONLog() {
		fmt.Fprintf(&sb, "git version: %s\n", b.gitVersion())
		fmt.Fprintf(&sb, "OpenSSL version: %s\n", b.Release.OpenSSL)
		fmt.Fprintf(&sb, "allocator: %s\n", b.Allocator())
		sb.WriteString("modules: none\n")
		sb.WriteString("build environment:\n")
		fmt.Fprintf(&sb, "    distmod: %s\n", b.Release.DistMod)
		fmt.Fprintf(&sb, "    distarch: %s\n", arch)
		fmt.Fprintf(&sb, "    target_arch: %s\n", arch)
		return sb.String()
	}
	sb.WriteString("Build Info: {\n")
	fmt.Fprintf(&sb, "    \"version\": %q,\n", b.Version.String())
	fmt.Fprintf(&sb, "    \"gitVersion\": %q,\n", b.gitVersion())
	fmt.Fprintf(&sb, "    \"openSSLVersion\": %q,\n", b.Release.OpenSSL)
	sb.WriteString("    \"modules\": [],\n")
	fmt.Fprintf(&sb, "    \"allocator\": %q,\n", b.Allocator())
	sb.WriteString("    \"environment\": {\n")
	fmt.Fprintf(&sb, "        \"distmod\": %q,\n", b.Release.DistMod)
	fmt.Fprintf(&sb, "        \"distarch\": %q,\n", arch)
	fmt.Fprintf(&sb, "        \"target_arch\": %q\n", arch)
	sb.WriteString("    }\n}\n")
	return sb.String()
}

// buildInfo is the buildInfo command reply body (without ok).
func (b Binary) buildInfo() bson.D {
	arch := distArch()
	return bson.D{
		{Key: "version", Value: b.Version.String()},
		{Key: "gitVersion", Value: b.gitVersion()},
		{Key: "modules", Value: bson.A{}},
		{Key: "allocator", Value: b.Allocator()},
		{Key: "javascriptEngine", Value: "mozjs"},
		{Key: "sysInfo", Value: "deprecated"},
		{Key: "versionArray", Value: bson.A{int32(b.Version.Major), int32(b.Version.Minor), int32(b.Version.Patch), int32(0)}},
		{Key: "openssl", Value: bson.D{{Key: "running", Value: b.Release.OpenSSL}, {Key: "compiled", Value: b.Release.OpenSSL}}},
		{Key: "buildEnvironment", Value: bson.D{
			{Key: "distmod", Value: b.Release.DistMod},
			{Key: "distarch", Value: arch},
			{Key: "target_arch", Value: arch},
			{Key: "target_os", Value: "linux"},
		}},
		{Key: "bits", Value: int32(64)},
		{Key: "debug", Value: false},
		{Key: "maxBsonObjectSize", Value: int32(maxBSONSize)},
		{Key: "storageEngines", Value: b.storageEngines()},
	}
}

func (b Binary) storageEngines() bson.A {
	if b.SupportsMMAPv1() {
		return bson.A{"devnull", "ephemeralForTest", "mmapv1", "wiredTiger"}
	}
	return bson.A{"devnull", "ephemeralForTest", "wiredTiger"}
}
