package mongodsim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/x/bsonx/bsoncore"
)

// Wire opcodes.
const (
	opReply      = 1
	opQuery      = 2004
	opCompressed = 2012
	opMsg        = 2013
)

// OP_MSG flag bits.
const (
	msgChecksumPresent = 1 << 0
	msgMoreToCome      = 1 << 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// message is one wire message: header fields plus the bytes after the header.
type message struct {
	requestID, responseTo, opCode int32
	body                          []byte
	whole                         []byte
}

func readMessage(r io.Reader) (*message, error) {
	var hdr [16]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int32(binary.LittleEndian.Uint32(hdr[0:]))
	if n < 16 || n > maxMessageSize {
		return nil, fmt.Errorf("bad message length %d", n)
	}
	whole := make([]byte, n)
	copy(whole, hdr[:])
	if _, err := io.ReadFull(r, whole[16:]); err != nil {
		return nil, err
	}
	return &message{
		requestID:  int32(binary.LittleEndian.Uint32(hdr[4:])),
		responseTo: int32(binary.LittleEndian.Uint32(hdr[8:])),
		opCode:     int32(binary.LittleEndian.Uint32(hdr[12:])),
		body:       whole[16:],
		whole:      whole,
	}, nil
}

// opMsgRequest is a parsed OP_MSG.
type opMsgRequest struct {
	flags uint32
	body  bson.Raw
	seqs  map[string][]bson.Raw
}

func parseOpMsg(m *message) (*opMsgRequest, error) {
	b := m.body
	if len(b) < 5 {
		return nil, errors.New("OP_MSG too short")
	}
	req := &opMsgRequest{flags: binary.LittleEndian.Uint32(b), seqs: map[string][]bson.Raw{}}
	b = b[4:]
	if req.flags&msgChecksumPresent != 0 {
		if len(b) < 4 {
			return nil, errors.New("OP_MSG checksum missing")
		}
		want := binary.LittleEndian.Uint32(m.whole[len(m.whole)-4:])
		if got := crc32.Checksum(m.whole[:len(m.whole)-4], castagnoli); got != want {
			return nil, fmt.Errorf("OP_MSG checksum mismatch: computed %08x, message says %08x", got, want)
		}
		b = b[:len(b)-4]
	}
	for len(b) > 0 {
		kind := b[0]
		b = b[1:]
		switch kind {
		case 0:
			doc, rest, ok := bsoncore.ReadDocument(b)
			if !ok || req.body != nil {
				return nil, errors.New("OP_MSG: bad or repeated body section")
			}
			req.body, b = bson.Raw(doc), rest
		case 1:
			if len(b) < 4 {
				return nil, errors.New("OP_MSG: truncated document sequence")
			}
			size := int(binary.LittleEndian.Uint32(b))
			if size < 4 || size > len(b) {
				return nil, errors.New("OP_MSG: bad document sequence size")
			}
			seq := b[4:size]
			b = b[size:]
			id, rest, ok := bsoncore.ReadKey(seq)
			if !ok {
				return nil, errors.New("OP_MSG: bad document sequence identifier")
			}
			for len(rest) > 0 {
				doc, r2, ok := bsoncore.ReadDocument(rest)
				if !ok {
					return nil, errors.New("OP_MSG: bad document in sequence")
				}
				req.seqs[id] = append(req.seqs[id], bson.Raw(doc))
				rest = r2
			}
		default:
			return nil, fmt.Errorf("OP_MSG: unknown section kind %d", kind)
		}
	}
	if req.body == nil {
		return nil, errors.New("OP_MSG: no body section")
	}
	return req, nil
}

func putHeader(b []byte, requestID, responseTo, opCode int32) {
	binary.LittleEndian.PutUint32(b[0:], uint32(len(b)))
	binary.LittleEndian.PutUint32(b[4:], uint32(requestID))
	binary.LittleEndian.PutUint32(b[8:], uint32(responseTo))
	binary.LittleEndian.PutUint32(b[12:], uint32(opCode))
}

func encodeOpMsg(requestID, responseTo int32, doc []byte) []byte {
	out := make([]byte, 16, 16+5+len(doc))
	out = binary.LittleEndian.AppendUint32(out, 0)
	out = append(out, 0)
	out = append(out, doc...)
	putHeader(out, requestID, responseTo, opMsg)
	return out
}

// opQueryRequest is a parsed legacy OP_QUERY.
type opQueryRequest struct {
	flags          int32
	fullCollection string
	skip, nReturn  int32
	query          bson.Raw
}

func parseOpQuery(m *message) (*opQueryRequest, error) {
	b := m.body
	if len(b) < 4 {
		return nil, errors.New("OP_QUERY too short")
	}
	q := &opQueryRequest{flags: int32(binary.LittleEndian.Uint32(b))}
	name, rest, ok := bsoncore.ReadKey(b[4:])
	if !ok || len(rest) < 8 {
		return nil, errors.New("OP_QUERY: bad collection name")
	}
	q.fullCollection = name
	q.skip = int32(binary.LittleEndian.Uint32(rest))
	q.nReturn = int32(binary.LittleEndian.Uint32(rest[4:]))
	doc, _, ok := bsoncore.ReadDocument(rest[8:])
	if !ok {
		return nil, errors.New("OP_QUERY: bad query document")
	}
	q.query = bson.Raw(doc)
	return q, nil
}

// OP_REPLY responseFlags.
const replyQueryFailure = 1 << 1

func encodeOpReply(requestID, responseTo, flags int32, docs ...[]byte) []byte {
	out := make([]byte, 16, 64)
	out = binary.LittleEndian.AppendUint32(out, uint32(flags))
	out = binary.LittleEndian.AppendUint64(out, 0) // cursorID
	out = binary.LittleEndian.AppendUint32(out, 0) // startingFrom
	out = binary.LittleEndian.AppendUint32(out, uint32(len(docs)))
	for _, d := range docs {
		out = append(out, d...)
	}
	putHeader(out, requestID, responseTo, opReply)
	return out
}
