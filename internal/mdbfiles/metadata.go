package mdbfiles

import (
	"crypto/sha1"
	"encoding/base64"
	"net/url"

	"go.mongodb.org/mongo-driver/bson"
)

// dumpMetadata mirrors the document mongodump writes to
// <collection>.metadata.json (mongo-tools mongodump/metadata_dump.go): options
// (omitted when empty), indexes (always an array), uuid (hex, omitted before
// 3.6), collectionName and type, as canonical extended JSON.
type dumpMetadata struct {
	Options        bson.Raw   `bson:"options,omitempty"`
	Indexes        []bson.Raw `bson:"indexes"`
	UUID           string     `bson:"uuid,omitempty"`
	CollectionName string     `bson:"collectionName"`
	Type           string     `bson:"type,omitempty"`
}

func metadataJSON(c Collection) ([]byte, error) {
	m := dumpMetadata{Indexes: []bson.Raw{}, UUID: c.UUID, CollectionName: c.Name, Type: "collection"}
	if elems, err := c.Options.Elements(); err == nil && len(elems) > 0 {
		m.Options = c.Options
	}
	for _, ix := range c.Indexes {
		if ix.Ready { // listIndexes, which mongodump uses, shows finished indexes
			m.Indexes = append(m.Indexes, ix.Spec)
		}
	}
	return bson.MarshalExtJSON(m, true, false)
}

// dumpFileName is the file name mongodump uses for a collection: the name
// query-escaped, and for names whose escaped form exceeds 238 bytes the first
// 208 bytes, "%24" and the unpadded base64url SHA-1 of the name.
func dumpFileName(coll string) string {
	escaped := url.QueryEscape(coll)
	if len(escaped) <= 238 {
		return escaped
	}
	sum := sha1.Sum([]byte(coll))
	return escaped[:208] + "%24" + base64.RawURLEncoding.EncodeToString(sum[:])
}
