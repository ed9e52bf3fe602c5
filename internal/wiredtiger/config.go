package wiredtiger

import (
	"fmt"
	"strconv"
	"strings"
)

// ConfigItem is one key=value pair of a WiredTiger configuration string.
// Value is unquoted; for a nested group "(...)" or "[...]" it is the text
// between the brackets, which is itself a configuration string.
type ConfigItem struct {
	Key   string
	Value string
}

// ParseConfig splits a WiredTiger configuration string such as the metadata
// value "allocation_size=4KB,checkpoint=(WiredTigerCheckpoint.3=(addr=\"01..\"))"
// into its top-level items. A key without a value (e.g. "checksum") gets the
// value "true".
func ParseConfig(s string) ([]ConfigItem, error) {
	var items []ConfigItem
	p := configParser{s: s}
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return items, nil
		}
		key, err := p.token()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		val := "true"
		if p.i < len(p.s) && (p.s[p.i] == '=' || p.s[p.i] == ':') {
			p.i++
			p.skipSpace()
			if val, err = p.token(); err != nil {
				return nil, err
			}
			p.skipSpace()
		}
		items = append(items, ConfigItem{Key: key, Value: val})
		if p.i < len(p.s) {
			if p.s[p.i] != ',' {
				return nil, fmt.Errorf("config %q: unexpected %q at %d", abbreviate(s), p.s[p.i], p.i)
			}
			p.i++
		}
	}
}

// ConfigValue returns the value of key in the configuration string s.
func ConfigValue(s, key string) (string, bool, error) {
	items, err := ParseConfig(s)
	if err != nil {
		return "", false, err
	}
	for i := len(items) - 1; i >= 0; i-- { // the last setting wins
		if items[i].Key == key {
			return items[i].Value, true, nil
		}
	}
	return "", false, nil
}

type configParser struct {
	s string
	i int
}

func (p *configParser) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// token reads a bare word, a quoted string or a bracketed group.
func (p *configParser) token() (string, error) {
	if p.i >= len(p.s) {
		return "", nil
	}
	switch c := p.s[p.i]; c {
	case '"':
		return p.quoted()
	case '(', '[', '{':
		return p.group()
	}
	start := p.i
	for p.i < len(p.s) && strings.IndexByte(",=:)]} \t\r\n", p.s[p.i]) < 0 {
		p.i++
	}
	return p.s[start:p.i], nil
}

func (p *configParser) quoted() (string, error) {
	var b strings.Builder
	for p.i++; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; c {
		case '\\':
			p.i++
			if p.i < len(p.s) {
				b.WriteByte(p.s[p.i])
			}
		case '"':
			p.i++
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
	}
	return "", fmt.Errorf("config %q: unterminated quoted string", abbreviate(p.s))
}

func (p *configParser) group() (string, error) {
	start := p.i + 1
	var stack []byte
	for ; p.i < len(p.s); p.i++ {
		switch c := p.s[p.i]; c {
		case '(':
			stack = append(stack, ')')
		case '[':
			stack = append(stack, ']')
		case '{':
			stack = append(stack, '}')
		case ')', ']', '}':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return "", fmt.Errorf("config %q: unbalanced %q at %d", abbreviate(p.s), c, p.i)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				p.i++
				return p.s[start : p.i-1], nil
			}
		case '"':
			if _, err := p.quoted(); err != nil {
				return "", err
			}
			p.i-- // the loop increments past the closing quote
		}
	}
	return "", fmt.Errorf("config %q: unterminated group", abbreviate(p.s))
}

// parseConfigSize parses a size such as "4KB", "32MB" or "4096".
func parseConfigSize(v string) (int64, error) {
	mult := int64(1)
	u := strings.ToUpper(v)
	for _, suf := range []struct {
		s string
		m int64
	}{{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"TB", 1 << 40}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			mult, u = suf.m, strings.TrimSuffix(u, suf.s)
			break
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("bad size %q", v)
	}
	return n * mult, nil
}

func abbreviate(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
