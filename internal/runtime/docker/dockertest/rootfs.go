package dockertest

import (
	"archive/tar"
	"bytes"
	"fmt"
	"time"
)

// Layout version: bump when the image layout or its config changes, so
// cached images are rebuilt.
const layoutVersion = "sim-image-v1"

// mongodbID is the official image's mongodb user and group.
const mongodbID = 999

const (
	passwd = "root:x:0:0:root:/root:/usr/sbin/nologin\nmongodb:x:999:999::/data/db:/usr/sbin/nologin\n"
	group  = "root:x:0:\nmongodb:x:999:\n"
)

// rootfs is the single layer of a simulator image: the official image's
// layout as far as mongostep can see it, with the simulator as
// /usr/bin/mongod and simentrypoint as /usr/local/bin/docker-entrypoint.sh.
func rootfs(mongod, entrypoint []byte) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	mtime := time.Unix(1700000000, 0) // fixed, so the layer is the same every time
	dirs := []struct {
		name     string
		mode     int64
		uid, gid int
	}{
		{"etc/", 0o755, 0, 0},
		{"usr/", 0o755, 0, 0},
		{"usr/bin/", 0o755, 0, 0},
		{"usr/local/", 0o755, 0, 0},
		{"usr/local/bin/", 0o755, 0, 0},
		{"data/", 0o755, 0, 0},
		{"data/db/", 0o755, mongodbID, mongodbID},
		{"data/configdb/", 0o755, mongodbID, mongodbID},
		{"docker-entrypoint-initdb.d/", 0o755, 0, 0},
		{"tmp/", 0o1777, 0, 0},
	}
	for _, d := range dirs {
		h := &tar.Header{Typeflag: tar.TypeDir, Name: d.name, Mode: d.mode, Uid: d.uid, Gid: d.gid, ModTime: mtime, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("image layer: %s: %w", d.name, err)
		}
	}
	files := []struct {
		name string
		mode int64
		data []byte
	}{
		{"etc/passwd", 0o644, []byte(passwd)},
		{"etc/group", 0o644, []byte(group)},
		{"usr/bin/mongod", 0o755, mongod},
		{"usr/local/bin/docker-entrypoint.sh", 0o755, entrypoint},
	}
	for _, f := range files {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: f.mode, Size: int64(len(f.data)), ModTime: mtime, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("image layer: %s: %w", f.name, err)
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, fmt.Errorf("image layer: %s: %w", f.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("image layer: %w", err)
	}
	return buf.Bytes(), nil
}

// changes is the image config, as `docker import --change` lines.
func changes(version, digest string, extraEnv []string, variant bool) []string {
	kind := "sim"
	if variant {
		kind = "variant"
	}
	out := []string{
		`ENTRYPOINT ["docker-entrypoint.sh"]`,
		`CMD ["mongod"]`,
		`EXPOSE 27017`,
		`VOLUME ["/data/db", "/data/configdb"]`,
		`ENV PATH=/usr/local/bin:/usr/bin:/bin`,
		`ENV HOME=/data/db`,
		`ENV MONGODSIM_VERSION=` + version,
		fmt.Sprintf(`LABEL %s=%s %s=%s`, LabelTest, kind, LabelDigest, digest),
	}
	for _, kv := range extraEnv {
		out = append(out, "ENV "+kv)
	}
	return out
}
