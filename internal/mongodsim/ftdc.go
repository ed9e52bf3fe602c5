package mongodsim

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
)

// FTDCDirName is the full-time diagnostic data capture directory in the dbpath.
const FTDCDirName = "diagnostic.data"

// writeFTDC creates diagnostic.data/metrics.<UTC time>-NNNNN (a new name per start) holding the
// type-0 metadata document and one type-1 metric chunk, and rewrites metrics.interim.
func (r *runner) writeFTDC(now time.Time) (string, error) {
	dir := filepath.Join(r.opts.DBPath, FTDCDirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	path, err := newMetricsPath(dir, now)
	if err != nil {
		return "", err
	}
	meta := mustMarshal(bson.D{{Key: "_id", Value: now}, {Key: "type", Value: int32(0)}, {Key: "doc", Value: r.ftdcMetadata(now)}})
	chunk, err := metricChunk(now, r.ftdcSample(now))
	if err != nil {
		return "", err
	}
	if err := writeFileAtomic(path, func(w *bufio.Writer) error {
		if _, err := w.Write(meta); err != nil {
			return err
		}
		_, err := w.Write(chunk)
		return err
	}); err != nil {
		return "", err
	}
	interim := filepath.Join(dir, "metrics.interim")
	return path, writeFileAtomic(interim, func(w *bufio.Writer) error { _, err := w.Write(chunk); return err })
}

// newMetricsPath picks metrics.%Y-%m-%dT%H-%M-%SZ-NNNNN that does not exist yet.
func newMetricsPath(dir string, now time.Time) (string, error) {
	stamp := now.UTC().Format("2006-01-02T15-04-05Z")
	for i := 0; i < 100000; i++ {
		p := filepath.Join(dir, fmt.Sprintf("metrics.%s-%05d", stamp, i))
		if _, err := os.Lstat(p); os.IsNotExist(err) {
			return p, nil
		}
	}
	return "", fmt.Errorf("no free metrics file name in %s for %s", dir, stamp)
}

func (r *runner) ftdcMetadata(now time.Time) bson.D {
	section := func(body bson.D) bson.D {
		out := bson.D{{Key: "start", Value: now}}
		out = append(out, body...)
		return append(out, bson.E{Key: "ok", Value: 1.0}, bson.E{Key: "end", Value: now})
	}
	return bson.D{
		{Key: "start", Value: now},
		{Key: "buildInfo", Value: section(r.bin.buildInfo())},
		{Key: "getCmdLineOpts", Value: section(bson.D{{Key: "argv", Value: r.opts.Argv}, {Key: "parsed", Value: r.opts.parsedOptions()}})},
		{Key: "hostInfo", Value: section(r.hostInfo(now))},
		{Key: "end", Value: now},
	}
}

func (r *runner) hostInfo(now time.Time) bson.D {
	host, _ := os.Hostname()
	return bson.D{
		{Key: "system", Value: bson.D{
			{Key: "currentTime", Value: now}, {Key: "hostname", Value: host}, {Key: "cpuAddrSize", Value: int32(64)},
			{Key: "numCores", Value: int32(runtime.NumCPU())}, {Key: "cpuArch", Value: distArch()}, {Key: "numaEnabled", Value: false},
		}},
		{Key: "os", Value: bson.D{{Key: "type", Value: "Linux"}, {Key: "name", Value: osName()}, {Key: "version", Value: "simulated"}}},
		{Key: "extra", Value: bson.D{{Key: "kernelVersion", Value: kernelRelease(r.getenv)}, {Key: "simulator", Value: "mongodsim"}}},
	}
}

func osName() string {
	b, err := os.ReadFile("/etc/os-release")
	if err != nil {
		return "Linux"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return "Linux"
}

// ftdcSample is the reference document of the metric chunk (a tiny serverStatus).
func (r *runner) ftdcSample(now time.Time) bson.D {
	return bson.D{
		{Key: "start", Value: now},
		{Key: "serverStatus", Value: bson.D{
			{Key: "start", Value: now}, {Key: "pid", Value: int64(os.Getpid())},
			{Key: "uptime", Value: 0.0}, {Key: "uptimeMillis", Value: int64(0)},
			{Key: "connections", Value: bson.D{{Key: "current", Value: int32(0)}, {Key: "available", Value: int32(838860)}}},
			{Key: "end", Value: now},
		}},
		{Key: "end", Value: now},
	}
}

// metricChunk builds {_id, type: 1, data: BinData(0, uint32 size + zlib(ref doc, uint32 metric
// count, uint32 sample count = 0))}.
func metricChunk(now time.Time, ref bson.D) ([]byte, error) {
	refRaw := mustMarshal(ref)
	plain := append([]byte(nil), refRaw...)
	plain = binary.LittleEndian.AppendUint32(plain, uint32(countMetrics(refRaw)))
	plain = binary.LittleEndian.AppendUint32(plain, 0)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(plain); err != nil {
		return nil, fmt.Errorf("compress FTDC chunk: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress FTDC chunk: %w", err)
	}
	data := binary.LittleEndian.AppendUint32(nil, uint32(len(plain)))
	data = append(data, z.Bytes()...)
	return bson.Marshal(bson.D{{Key: "_id", Value: now}, {Key: "type", Value: int32(1)},
		{Key: "data", Value: bsonBinary(data)}})
}

// countMetrics counts the numeric leaves FTDC would track.
func countMetrics(doc bson.Raw) int {
	n := 0
	elems, _ := doc.Elements()
	for _, e := range elems {
		v := e.Value()
		switch v.Type {
		case bsontype.Double, bsontype.Int32, bsontype.Int64, bsontype.Boolean, bsontype.DateTime, bsontype.Decimal128:
			n++
		case bsontype.Timestamp:
			n += 2
		case bsontype.EmbeddedDocument, bsontype.Array:
			n += countMetrics(v.Value)
		}
	}
	return n
}
