package mongodsim

import (
	"os"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

func cmdHello(c *cmdCtx) (bson.D, error) {
	b := c.bin()
	d := bson.D{}
	if c.name == "hello" {
		d = append(d, bson.E{Key: "isWritablePrimary", Value: true})
	} else {
		d = append(d, bson.E{Key: "ismaster", Value: true})
	}
	if v, ok := c.arg("helloOk"); ok && truthy(v) && b.HasHello() {
		d = append(d, bson.E{Key: "helloOk", Value: true})
	}
	batch := int32(100000)
	if !b.atLeast("3.6") {
		batch = 1000
	}
	d = append(d,
		bson.E{Key: "maxBsonObjectSize", Value: int32(maxBSONSize)},
		bson.E{Key: "maxMessageSizeBytes", Value: int32(maxMessageSize)},
		bson.E{Key: "maxWriteBatchSize", Value: batch},
		bson.E{Key: "localTime", Value: time.Now()},
	)
	if b.HasSessions() {
		d = append(d, bson.E{Key: "logicalSessionTimeoutMinutes", Value: int32(30)})
	}
	d = append(d,
		bson.E{Key: "connectionId", Value: int32(c.conn.id)},
		bson.E{Key: "minWireVersion", Value: int32(0)},
		bson.E{Key: "maxWireVersion", Value: b.Release.Wire},
		bson.E{Key: "readOnly", Value: false},
	)
	return d, nil
}

func cmdPing(*cmdCtx) (bson.D, error) { return bson.D{}, nil }

func cmdBuildInfo(c *cmdCtx) (bson.D, error) { return c.bin().buildInfo(), nil }

func cmdWhatsMyURI(c *cmdCtx) (bson.D, error) {
	return bson.D{{Key: "you", Value: c.conn.remote.String()}}, nil
}

func cmdAuthFails(*cmdCtx) (bson.D, error) {
	return nil, errf(codeAuthenticationFailed, "Authentication failed. (mongodsim keeps no user store)")
}

func cmdServerStatus(c *cmdCtx) (bson.D, error) {
	s := c.s
	host, _ := os.Hostname()
	up := time.Since(s.started)
	current, total := s.connStats()
	return bson.D{
		{Key: "host", Value: host},
		{Key: "version", Value: c.bin().Version.String()},
		{Key: "process", Value: "mongod"},
		{Key: "pid", Value: int64(os.Getpid())},
		{Key: "uptime", Value: up.Seconds()},
		{Key: "uptimeMillis", Value: up.Milliseconds()},
		{Key: "uptimeEstimate", Value: int64(up.Seconds())},
		{Key: "localTime", Value: time.Now()},
		{Key: "connections", Value: bson.D{
			{Key: "current", Value: int32(current)},
			{Key: "available", Value: int32(838860 - current)},
			{Key: "totalCreated", Value: int32(total)},
		}},
		{Key: "storageEngine", Value: bson.D{{Key: "name", Value: s.r.engine}, {Key: "persistent", Value: true}}},
	}, nil
}
