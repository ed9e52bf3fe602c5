package main

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/snappy"
	"github.com/mongostep/mongostep/internal/wiredtiger"
)

func unpack(b []byte) (uint64, int) {
	switch b[0] >> 4 {
	case 8, 9, 0xa, 0xb:
		return uint64(b[0] & 0x3f), 1
	case 0xc, 0xd:
		return (uint64(b[0]&0x1f)<<8 | uint64(b[1])) + 64, 2
	case 0xe:
		l := int(b[0] & 0xf)
		var v uint64
		for i := 0; i < l; i++ {
			v = v<<8 | uint64(b[1+i])
		}
		return v + 8256, 1 + l
	}
	panic("bad")
}

func main() {
	dir, name := os.Args[1], os.Args[2]
	db, err := wiredtiger.Open(dir, nil)
	if err != nil {
		panic(err)
	}
	uri, _ := db.FileURI(name)
	cfg, _ := db.Config(uri)
	ck, _, _ := wiredtiger.ConfigValue(cfg, "checkpoint")
	items, _ := wiredtiger.ParseConfig(ck)
	addr, _, _ := wiredtiger.ConfigValue(items[len(items)-1].Value, "addr")
	cookie, _ := hex.DecodeString(addr)
	fmt.Println("cookie", addr)
	if len(cookie) == 0 {
		return
	}
	p := 1
	o, n := unpack(cookie[p:])
	p += n
	s, n := unpack(cookie[p:])
	p += n
	data, _ := os.ReadFile(filepath.Join(dir, strings.TrimPrefix(uri, "file:")))
	dump(data, int64(o+1)*4096, int(s*4096), 0)
}

func dump(data []byte, off int64, size int, depth int) {
	blk := data[off : off+int64(size)]
	mem := blk
	if blk[25]&1 != 0 {
		ms := binary.LittleEndian.Uint32(blk[16:])
		n := binary.LittleEndian.Uint64(blk[64:])
		dec, err := snappy.Decode(nil, blk[72:72+n])
		if err != nil {
			panic(err)
		}
		mem = append(append([]byte{}, blk[:64]...), dec...)
		_ = ms
	}
	fmt.Printf("%*sblock off=%d size=%d type=%d flags=%#x version=%d entries=%d blkflags=%#x memsize=%d\n", depth*2, "", off, size, mem[24], blk[25], mem[27], binary.LittleEndian.Uint32(mem[20:]), blk[36], binary.LittleEndian.Uint32(mem[16:]))
	end := 40 + 120
	if end > len(mem) {
		end = len(mem)
	}
	fmt.Printf("%*s% x\n", depth*2, "", mem[40:end])
	if mem[24] == 6 {
		// find first addr cell
		i := 40
		for i < len(mem) {
			b := mem[i]
			if b&3 != 0 {
				i += 1 + int(b>>2)
				continue
			}
			t := b & 0xf0
			j := i + 1
			if b&8 != 0 {
				fl := mem[j]
				j++
				for k := 0; k < 7; k++ {
					if fl&(1<<k) != 0 && k != 0 {
						_, n := unpack(mem[j:])
						j += n
					}
				}
			}
			l, n := unpack(mem[j:])
			j += n
			if t == 0x20 || t == 0x30 || t == 0x10 {
				c := mem[j : j+int(l)]
				o, n1 := unpack(c)
				s, _ := unpack(c[n1:])
				dump(data, int64(o+1)*4096, int(s*4096), depth+1)
				return
			}
			i = j + int(l)
		}
	}
}
