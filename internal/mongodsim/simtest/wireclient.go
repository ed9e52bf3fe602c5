package simtest

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/x/bsonx/bsoncore"
)

// WireClient speaks the wire protocol directly: OP_MSG to servers with maxWireVersion >= 6,
// legacy OP_QUERY on <db>.$cmd otherwise (3.4, which the Go driver v1.17 refuses). It is a
// tiny test client, not a driver: one connection, one command at a time.
type WireClient struct {
	conn    net.Conn
	useMsg  bool
	wire    int32
	reqID   atomic.Int32
	timeout time.Duration
}

// Dial connects and runs the isMaster handshake over OP_QUERY. An addr starting with "/" is a
// unix socket path.
func Dial(addr string, timeout time.Duration) (*WireClient, error) {
	network := "tcp"
	if strings.HasPrefix(addr, "/") {
		network = "unix"
	}
	conn, err := net.DialTimeout(network, addr, timeout)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	c := &WireClient{conn: conn, timeout: timeout}
	reply, err := c.RunOpQuery("admin", bson.D{{Key: "isMaster", Value: 1}})
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("handshake with %s: %w", addr, err)
	}
	w, _ := reply.Lookup("maxWireVersion").AsInt64OK()
	c.wire = int32(w)
	c.useMsg = w >= 6
	return c, nil
}

// MaxWireVersion is what the server announced.
func (c *WireClient) MaxWireVersion() int32 { return c.wire }

// Close closes the connection.
func (c *WireClient) Close() error { return c.conn.Close() }

// Run sends a command (a bson.D or anything bson.Marshal takes) to db and returns the reply.
// A reply with ok:0 is returned as a *CommandError together with the reply.
func (c *WireClient) Run(db string, cmd any) (bson.Raw, error) {
	if !c.useMsg {
		return c.RunOpQuery(db, cmd)
	}
	return c.RunOpMsg(db, cmd, nil)
}

// CommandError is a reply with ok:0.
type CommandError struct {
	Code     int32
	CodeName string
	Message  string
}

func (e *CommandError) Error() string {
	return fmt.Sprintf("command failed: (%s) %s [code %d]", e.CodeName, e.Message, e.Code)
}

func checkOK(reply bson.Raw) (bson.Raw, error) {
	okv := reply.Lookup("ok")
	if f, isF := okv.DoubleOK(); isF && f == 1 {
		return reply, nil
	}
	if n, isN := okv.AsInt64OK(); isN && n == 1 {
		return reply, nil
	}
	e := &CommandError{}
	code, _ := reply.Lookup("code").AsInt64OK()
	e.Code = int32(code)
	e.CodeName, _ = reply.Lookup("codeName").StringValueOK()
	e.Message, _ = reply.Lookup("errmsg").StringValueOK()
	if e.Message == "" {
		e.Message, _ = reply.Lookup("$err").StringValueOK()
	}
	return reply, e
}

// RunOpMsg sends an OP_MSG with an optional kind-1 sequence (identifier -> documents).
func (c *WireClient) RunOpMsg(db string, cmd any, seq map[string][]bson.Raw) (bson.Raw, error) {
	body, err := bson.Marshal(cmd)
	if err != nil {
		return nil, fmt.Errorf("marshal command: %w", err)
	}
	body = bsoncore.AppendStringElement(body[:len(body)-1], "$db", db)
	body = append(body, 0)
	binary.LittleEndian.PutUint32(body, uint32(len(body)))
	msg := make([]byte, 16, 64+len(body))
	msg = binary.LittleEndian.AppendUint32(msg, 0)
	msg = append(msg, 0)
	msg = append(msg, body...)
	for id, docs := range seq {
		start := len(msg)
		msg = append(msg, 1, 0, 0, 0, 0)
		msg = append(msg, id...)
		msg = append(msg, 0)
		for _, d := range docs {
			msg = append(msg, d...)
		}
		binary.LittleEndian.PutUint32(msg[start+1:], uint32(len(msg)-start-1))
	}
	reply, err := c.roundTrip(msg, 2013)
	if err != nil {
		return nil, err
	}
	if len(reply) < 5 || reply[4] != 0 {
		return nil, fmt.Errorf("unexpected OP_MSG reply layout")
	}
	return checkOK(bson.Raw(reply[5:]))
}

// RunOpQuery sends a legacy OP_QUERY command to <db>.$cmd.
func (c *WireClient) RunOpQuery(db string, cmd any) (bson.Raw, error) {
	q, err := bson.Marshal(cmd)
	if err != nil {
		return nil, fmt.Errorf("marshal command: %w", err)
	}
	msg := make([]byte, 16, 64+len(q))
	msg = binary.LittleEndian.AppendUint32(msg, 0)
	msg = append(msg, db+".$cmd"...)
	msg = append(msg, 0)
	msg = binary.LittleEndian.AppendUint32(msg, 0)
	msg = binary.LittleEndian.AppendUint32(msg, uint32(0xffffffff)) // numberToReturn -1
	msg = append(msg, q...)
	reply, err := c.roundTrip(msg, 2004)
	if err != nil {
		return nil, err
	}
	if len(reply) < 20 {
		return nil, fmt.Errorf("short OP_REPLY")
	}
	if binary.LittleEndian.Uint32(reply[16:]) < 1 {
		return nil, fmt.Errorf("OP_REPLY without documents")
	}
	return checkOK(bson.Raw(reply[20:]))
}

// roundTrip fills in the header, sends msg and returns the reply body after the header.
func (c *WireClient) roundTrip(msg []byte, opCode int32) ([]byte, error) {
	id := c.reqID.Add(1)
	binary.LittleEndian.PutUint32(msg[0:], uint32(len(msg)))
	binary.LittleEndian.PutUint32(msg[4:], uint32(id))
	binary.LittleEndian.PutUint32(msg[8:], 0)
	binary.LittleEndian.PutUint32(msg[12:], uint32(opCode))
	if c.timeout > 0 {
		_ = c.conn.SetDeadline(time.Now().Add(c.timeout))
	}
	if _, err := c.conn.Write(msg); err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	var hdr [16]byte
	if _, err := io.ReadFull(c.conn, hdr[:]); err != nil {
		return nil, fmt.Errorf("read reply: %w", err)
	}
	n := int(binary.LittleEndian.Uint32(hdr[:]))
	if n < 16 || n > 64<<20 {
		return nil, fmt.Errorf("bad reply length %d", n)
	}
	body := make([]byte, n-16)
	if _, err := io.ReadFull(c.conn, body); err != nil {
		return nil, fmt.Errorf("read reply: %w", err)
	}
	return body, nil
}
