package mongodsim

import (
	"strings"

	"go.mongodb.org/mongo-driver/bson"
)

// parsedOptions renders the explicitly given options the way getCmdLineOpts' "parsed" field does
// (config-file paths such as storage.dbPath, nested).
func (o *Options) parsedOptions() bson.D {
	var out bson.D
	add := func(section string, kv ...bson.E) {
		for i := range out {
			if out[i].Key == section {
				out[i].Value = append(out[i].Value.(bson.D), kv...)
				return
			}
		}
		out = append(out, bson.E{Key: section, Value: bson.D(kv)})
	}
	if o.IsSet("bind_ip") {
		add("net", bson.E{Key: "bindIp", Value: strings.Join(o.BindIPs, ",")})
	}
	if o.BindIPAll {
		add("net", bson.E{Key: "bindIpAll", Value: true})
	}
	if o.IsSet("port") {
		add("net", bson.E{Key: "port", Value: int32(o.Port)})
	}
	if o.NoUnixSocket {
		add("net", bson.E{Key: "unixDomainSocket", Value: bson.D{{Key: "enabled", Value: false}}})
	} else if o.IsSet("unixSocketPrefix") {
		add("net", bson.E{Key: "unixDomainSocket", Value: bson.D{{Key: "pathPrefix", Value: o.UnixSocketPrefix}}})
	}
	if o.Fork {
		add("processManagement", bson.E{Key: "fork", Value: true})
	}
	if o.PidFilePath != "" {
		add("processManagement", bson.E{Key: "pidFilePath", Value: o.PidFilePath})
	}
	if o.ReplSet != "" {
		add("replication", bson.E{Key: "replSet", Value: o.ReplSet})
	}
	if o.Auth {
		add("security", bson.E{Key: "authorization", Value: "enabled"})
	} else if o.NoAuth {
		add("security", bson.E{Key: "authorization", Value: "disabled"})
	}
	if len(o.SetParameters) > 0 {
		var sp bson.D
		for _, kv := range o.SetParameters {
			sp = append(sp, bson.E{Key: kv[0], Value: kv[1]})
		}
		out = append(out, bson.E{Key: "setParameter", Value: sp})
	}
	if o.IsSet("dbpath") {
		add("storage", bson.E{Key: "dbPath", Value: o.DBPath})
	}
	if o.StorageEngine != "" {
		add("storage", bson.E{Key: "engine", Value: o.StorageEngine})
	}
	if o.Journal {
		add("storage", bson.E{Key: "journal", Value: bson.D{{Key: "enabled", Value: true}}})
	}
	if o.IsSet("wiredTigerCacheSizeGB") {
		add("storage", bson.E{Key: "wiredTiger", Value: bson.D{{Key: "engineConfig",
			Value: bson.D{{Key: "cacheSizeGB", Value: o.WTCacheSizeGB}}}}})
	}
	if o.Quiet {
		add("systemLog", bson.E{Key: "quiet", Value: true})
	}
	if o.LogPath != "" {
		add("systemLog", bson.E{Key: "destination", Value: "file"}, bson.E{Key: "path", Value: o.LogPath})
	}
	if o.LogAppend {
		add("systemLog", bson.E{Key: "logAppend", Value: true})
	}
	if out == nil {
		out = bson.D{}
	}
	return out
}
