package mongodsim

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// WiredTiger metadata configuration strings, laid out as the library version of each simulated
// major writes them (key lists and order taken from real dbpaths, shared/fixtures: WiredTiger
// 2.8.1, 3.0.1, 3.1.1, 3.2.2, 10.0.x, 11.2.0, 11.3.0; 12.0 is assumed to write 11.3's layout).

// tableKind is what a WiredTiger table holds; it decides its creation configuration.
type tableKind int

const (
	kindMetadata    tableKind = iota // WiredTiger.wt (its configuration lives in the turtle)
	kindRecordStore                  // _mdb_catalog and collections: RecordId -> BSON
	kindIndex                        // index-*: KeyString -> RecordId
	kindSizeStorer                   // sizeStorer: "table:<ident>" -> {numRecords, dataSize}
	kindHistory                      // WiredTigerLAS.wt (lookaside, before 4.4) / WiredTigerHS.wt (history store)
)

// ckptInfo is one checkpoint of a file, as its metadata entry records it.
type ckptInfo struct {
	order    int
	cookie   []byte // checkpoint cookie; nil for an empty tree (addr="")
	time     int64
	size     int64 // bytes of live blocks
	writeGen uint64
	logFile  int // checkpoint_lsn=(logFile,128)
}

// wtEra is the configuration dialect of one WiredTiger library version.
type wtEra struct{ v WTVersion }

func (e wtEra) atLeast(major, minor int) bool { return !e.v.less(major, minor, 0) }
func (e wtEra) wt10() bool                    { return e.v.Major >= 10 }

// inlineCheckpoint: before 3.2 the checkpoint keys sort into the configuration; from 3.2 they
// are appended after version=(...).
func (e wtEra) inlineCheckpoint() bool { return !e.atLeast(3, 2) }

// tableParams is what differs between the files of one checkpoint.
type tableParams struct {
	kind    tableKind
	id      int
	appMeta string // app_metadata value
	writeTS bool   // 7.0 asserts write timestamps on MongoDB's own tables
}

// fileConfig is the "file:" metadata value of a table with checkpoint ck (nil: never
// checkpointed).
func fileConfig(e wtEra, p tableParams, ck *ckptInfo) string {
	f := kindFormat(e, p.kind)
	var items []string
	add := func(kv ...string) { items = append(items, kv...) }
	if e.atLeast(3, 0) {
		add("access_pattern_hint=none")
	}
	add("allocation_size=4KB", "app_metadata="+p.appMeta)
	if a := assertConfig(e, p.writeTS); a != "" {
		add("assert=" + a)
	}
	add("block_allocation=best", "block_compressor="+f.compressor, "cache_resident=false")
	if e.inlineCheckpoint() || ck == nil && !e.wt10() {
		add(checkpointItems(e, ck)...)
	}
	add("checksum="+f.checksum, "collator=", "columns=", "dictionary=0", "encryption=(keyid=,name=)", "format=btree",
		"huffman_key=", "huffman_value=", fmt.Sprintf("id=%d", p.id), "ignore_in_memory_cache_size=false",
		"internal_item_max=0", "internal_key_max=0", "internal_key_truncate=true", "internal_page_max="+f.internalPageMax,
		"key_format="+f.keyFormat, "key_gap=10", "leaf_item_max=0", "leaf_key_max=0", "leaf_page_max="+f.leafPageMax,
		"leaf_value_max="+f.leafValueMax, "log=(enabled=true)")
	if e.atLeast(3, 1) {
		add("memory_page_image_max=0")
	}
	add("memory_page_max="+f.memoryPageMax, "os_cache_dirty_max=0", "os_cache_max=0",
		fmt.Sprintf("prefix_compression=%t", f.prefix), "prefix_compression_min=4")
	if e.wt10() {
		add("readonly=false")
	}
	add("split_deepen_min_child=0", "split_deepen_per_child=0", "split_pct="+f.splitPct)
	if e.wt10() {
		add("tiered_object=false", "tiered_storage=(auth_token=,bucket=,bucket_prefix=,cache_directory=,local_retention=300,name=,object_target_size=0)")
	}
	add("value_format=" + f.valueFormat)
	if e.wt10() {
		add("verbose=" + verboseConfig(p.writeTS))
	}
	add("version=(major=1,minor=1)")
	if e.wt10() {
		add("write_timestamp_usage=none")
	}
	if !e.inlineCheckpoint() && (ck != nil || e.wt10()) {
		add(checkpointItems(e, ck)...)
	}
	return strings.Join(items, ",")
}

// checkpointItems are checkpoint=(...), checkpoint_backup_info= (10+) and checkpoint_lsn.
func checkpointItems(e wtEra, ck *ckptInfo) []string {
	if ck == nil && !e.wt10() {
		return []string{"checkpoint=", "checkpoint_lsn="}
	}
	if ck == nil {
		ck = &ckptInfo{order: 1}
	}
	head := fmt.Sprintf("WiredTigerCheckpoint.%d=(addr=\"%s\",order=%d,time=%d,size=%d,",
		ck.order, hex.EncodeToString(ck.cookie), ck.order, ck.time, ck.size)
	lsn := fmt.Sprintf("checkpoint_lsn=(%d,%d)", ck.logFile, wtLogAlign)
	switch {
	case e.wt10():
		return []string{fmt.Sprintf("checkpoint=(%snewest_start_durable_ts=0,oldest_start_ts=0,newest_txn=0,"+
			"newest_stop_durable_ts=0,newest_stop_ts=-1,newest_stop_txn=-11,prepare=0,write_gen=%d,run_write_gen=1))",
			head, ck.writeGen), "checkpoint_backup_info=", lsn}
	case e.atLeast(3, 2):
		return []string{fmt.Sprintf("checkpoint=(%snewest_durable_ts=0,oldest_start_ts=0,oldest_start_txn=0,"+
			"newest_stop_ts=-1,newest_stop_txn=-11,write_gen=%d))", head, ck.writeGen), lsn}
	}
	return []string{fmt.Sprintf("checkpoint=(%swrite_gen=%d))", head, ck.writeGen), lsn}
}

func assertConfig(e wtEra, writeTS bool) string {
	switch {
	case e.wt10():
		return fmt.Sprintf("(commit_timestamp=none,durable_timestamp=none,read_timestamp=none,write_timestamp=%s)", onOff(writeTS))
	case e.atLeast(3, 2):
		return "(commit_timestamp=none,durable_timestamp=none,read_timestamp=none)"
	case e.atLeast(3, 0):
		return "(commit_timestamp=none,read_timestamp=none)"
	}
	return ""
}

func verboseConfig(writeTS bool) string {
	if writeTS {
		return "[write_timestamp]"
	}
	return "[]"
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// kindFmt is the creation configuration of one kind of table.
type kindFmt struct {
	compressor, checksum             string
	internalPageMax, leafPageMax     string
	leafValueMax, memoryPageMax      string
	keyFormat, valueFormat, splitPct string
	prefix                           bool
}

func kindFormat(e wtEra, k tableKind) kindFmt {
	split := "90"
	if !e.atLeast(3, 0) {
		split = "75" // 2.x: WiredTiger's default, which mongod overrode for record stores only
	}
	plainSum := "uncompressed"
	if e.wt10() {
		plainSum = "on"
	}
	f := kindFmt{checksum: plainSum, internalPageMax: "4KB", leafPageMax: "32KB", leafValueMax: "0",
		memoryPageMax: "5MB", keyFormat: "u", valueFormat: "u", splitPct: split}
	switch k {
	case kindMetadata:
		f.keyFormat, f.valueFormat = "S", "S"
	case kindRecordStore:
		f.compressor, f.checksum, f.leafValueMax, f.memoryPageMax, f.keyFormat, f.splitPct = "snappy", "on", "64MB", "10m", "q", "90"
	case kindIndex:
		f.checksum, f.internalPageMax, f.leafPageMax, f.prefix = "on", "16k", "16k", true
	case kindHistory:
		f = historyFormat(e, f)
	}
	return f
}

// historyFormat: the lookaside table (2.x-3.x) and the history store (10+).
func historyFormat(e wtEra, f kindFmt) kindFmt {
	switch {
	case e.wt10():
		f.compressor, f.internalPageMax, f.leafValueMax, f.keyFormat, f.valueFormat = "snappy", "16KB", "64MB", "IuQQ", "QQQu"
	case e.atLeast(3, 2):
		f.compressor, f.leafValueMax, f.keyFormat, f.valueFormat, f.prefix = "snappy", "64MB", "QIQu", "QQQBBu", true
	case e.atLeast(3, 1):
		f.compressor, f.leafValueMax, f.keyFormat, f.valueFormat, f.prefix = "snappy", "64MB", "QIQu", "QuBBu", true
	case e.atLeast(3, 0):
		f.compressor, f.leafValueMax, f.keyFormat, f.valueFormat, f.prefix = "snappy", "64MB", "QIQu", "QuBu", true
	default:
		f.keyFormat, f.valueFormat = "IuQQu", "QIu"
	}
	return f
}

// historyFile is the lookaside or history-store file of an era.
func historyFile(e wtEra) string {
	if e.wt10() {
		return "WiredTigerHS.wt"
	}
	return "WiredTigerLAS.wt"
}

// tableConfig and colgroupConfig are the "table:" and "colgroup:" metadata values.
func tableConfig(e wtEra, p tableParams, keyFormat, valueFormat string) string {
	head := "app_metadata=" + p.appMeta + ","
	tail := ""
	if e.wt10() {
		head += "assert=" + tableAssert(p.writeTS) + ","
		tail = ",verbose=" + verboseConfig(p.writeTS) + ",write_timestamp_usage=none"
	}
	return head + "colgroups=,collator=,columns=,key_format=" + keyFormat + ",value_format=" + valueFormat + tail
}

func colgroupConfig(e wtEra, p tableParams, file string) string {
	head := "app_metadata=" + p.appMeta + ","
	tail := ""
	if e.wt10() {
		head += "assert=" + tableAssert(p.writeTS) + ","
		tail = ",verbose=" + verboseConfig(p.writeTS) + ",write_timestamp_usage=none"
	}
	return head + "collator=,columns=,source=\"file:" + file + "\",type=file" + tail
}

func tableAssert(writeTS bool) string {
	if writeTS {
		return "(write_timestamp=on)"
	}
	return "(commit_timestamp=none,durable_timestamp=none,read_timestamp=none,write_timestamp=off)"
}

// systemEntries are WiredTiger 10+'s "system:" metadata entries.
func systemEntries(e wtEra, order int, now int64) map[string]string {
	if !e.wt10() {
		return nil
	}
	snap := fmt.Sprintf("snapshot_min=%d,snapshot_max=%d,snapshot_count=0", order, order)
	if e.atLeast(11, 0) {
		snap += fmt.Sprintf(",checkpoint_time=%d,write_gen=1", now)
	}
	return map[string]string{"system:checkpoint_base_write_gen": "base_write_gen=1", "system:checkpoint_snapshot": snap}
}
