package mongodsim

import (
	"encoding/binary"
	"hash/crc32"
	"net"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
)

func buildOpMsg(flags uint32, body bson.Raw, seqID string, seq []bson.Raw, checksum bool) *message {
	b := make([]byte, 16)
	b = binary.LittleEndian.AppendUint32(b, flags)
	b = append(b, 0)
	b = append(b, body...)
	if seqID != "" {
		start := len(b)
		b = append(b, 1, 0, 0, 0, 0)
		b = append(b, seqID...)
		b = append(b, 0)
		for _, d := range seq {
			b = append(b, d...)
		}
		binary.LittleEndian.PutUint32(b[start+1:], uint32(len(b)-start-1))
	}
	if checksum {
		b = append(b, 0, 0, 0, 0)
	}
	putHeader(b, 1, 0, opMsg)
	if checksum {
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli))
	}
	return &message{requestID: 1, opCode: opMsg, body: b[16:], whole: b}
}

func TestParseOpMsg(t *testing.T) {
	body := mustMarshal(bson.D{{Key: "insert", Value: "c"}, {Key: "$db", Value: "app"}})
	docs := []bson.Raw{mustMarshal(bson.D{{Key: "_id", Value: 1}}), mustMarshal(bson.D{{Key: "_id", Value: 2}})}
	m := buildOpMsg(msgChecksumPresent|msgMoreToCome, body, "documents", docs, true)
	req, err := parseOpMsg(m)
	if err != nil {
		t.Fatal(err)
	}
	if req.flags&msgMoreToCome == 0 || firstKey(req.body) != "insert" || len(req.seqs["documents"]) != 2 {
		t.Fatalf("parsed %+v", req)
	}
	m.whole[20+1+5] ^= 0xff // corrupt a byte inside the body
	if _, err := parseOpMsg(m); err == nil {
		t.Fatal("bad checksum accepted")
	}
	if _, err := parseOpMsg(buildOpMsg(0, body, "", nil, false)); err != nil {
		t.Fatal(err)
	}
}

func TestIsLoopbackPeer(t *testing.T) {
	for addr, want := range map[net.Addr]bool{
		&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 1}:       true,
		&net.TCPAddr{IP: net.ParseIP("127.8.9.10"), Port: 1}:      true,
		&net.TCPAddr{IP: net.ParseIP("::1"), Port: 1}:             true,
		&net.UnixAddr{Name: "/tmp/mongodb-27017.sock"}:            true,
		&net.TCPAddr{IP: net.ParseIP("172.17.0.1"), Port: 1}:      false,
		&net.TCPAddr{IP: net.ParseIP("10.0.0.5"), Port: 1}:        false,
		&net.TCPAddr{IP: net.ParseIP("::ffff:10.0.0.5"), Port: 1}: false,
	} {
		if got := isLoopbackPeer(addr); got != want {
			t.Errorf("%s: loopback %v, want %v", addr, got, want)
		}
	}
}
