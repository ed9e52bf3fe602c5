package mongodsim

import (
	"crypto/rand"
	"encoding/binary"

	"go.mongodb.org/mongo-driver/bson"
)

const (
	defaultFirstBatch = 101
	maxBatchBytes     = maxBSONSize - 16*1024
)

// cursor is an open find cursor: the remaining documents of a snapshot.
type cursor struct {
	ns   string
	rest []bson.Raw
	proj *projector
}

func newCursorID() int64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:])
		id := int64(binary.LittleEndian.Uint64(b[:]) &^ (1 << 63))
		if id != 0 {
			return id
		}
	}
}

// takeBatch removes up to n documents (n <= 0: no count limit) fitting in one reply.
func takeBatch(rest []bson.Raw, n int, proj *projector) (batch, remaining []bson.Raw) {
	size := 0
	for len(rest) > 0 && (n <= 0 || len(batch) < n) {
		d := proj.apply(rest[0])
		if len(batch) > 0 && size+len(d) > maxBatchBytes {
			break
		}
		batch = append(batch, d)
		size += len(d)
		rest = rest[1:]
	}
	return batch, rest
}

// cursorReply is {cursor: {<field>: [...], id, ns}}.
func cursorReply(ns string, id int64, field string, batch []bson.Raw) bson.D {
	arr := make(bson.A, len(batch))
	for i, d := range batch {
		arr[i] = d
	}
	return bson.D{{Key: "cursor", Value: bson.D{{Key: field, Value: arr}, {Key: "id", Value: id}, {Key: "ns", Value: ns}}}}
}

func (s *server) dropCursorsFor(ns string) {
	for id, c := range s.cursors {
		if c.ns == ns {
			delete(s.cursors, id)
		}
	}
}
