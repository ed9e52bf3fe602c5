// Package backup makes mongostep's backup archive and working copy of a
// MongoDB data directory in one pass, checks them against a manifest, and
// restores an archive.
//
// # One read, several consumers
//
// Run lists the source, then reads every file once, in 1 MiB chunks from a
// fixed pool. Each chunk goes to three consumers at the same time:
//
//   - a SHA-256 hasher (files spread over several hashers), for the manifest;
//   - the tar stream, cut into 1 MiB blocks that are compressed on all cores
//     (each block an independent gzip member or zstd frame, which gzip -d,
//     zstd -d and tar read as one stream) and written in order;
//   - the copy writers, which store the chunk at its offset, skipping
//     all-zero 32 KiB blocks so that MongoDB's preallocated journal files
//     become holes, with their exact size. Where the filesystem can clone
//     (FICLONE on Linux, clonefile on macOS) the copy is a clone instead and
//     the chunk feeds only the hash and the archive.
//
// Memory is the chunk pool plus the compression blocks (about 30 MiB), the
// same for 1 GiB or 1 TiB of data. The kernel is asked to start writing
// each chunk and archive block out at once, so that the final fsyncs have
// little left to wait for.
//
// # Safety
//
// The source is only opened for reading; a file that changes size or time
// while it is read stops the backup (a mongod is probably still running).
// The archive and the copy are written under temporary ".NAME.mongostep-partial"
// siblings, fsync'd (files and directories) and only then renamed into place;
// the manifest, written last and atomically, marks a finished backup. An
// error or a cancelled context leaves no final name behind. Restore refuses
// entries that would land outside its destination and checks every byte
// against the manifest before the destination appears.
//
// # Default format: tar.gz
//
// The archive exists for one moment: the day something went wrong and an
// operator has to put the data back, perhaps on another host, perhaps
// without mongostep. A tar.gz restores there with `tar -xzf` and nothing
// else: gzip is on every Linux, macOS and Windows 10+ host. tar.zst needs a
// tar with --zstd and the zstd program, still missing from many server
// images, and a plain tar is twice the size for MongoDB's half-compressible
// files. So tar.gz is the default, and tar.zst and tar are one flag away.
//
// The cost of that choice is small because gzip here is not the single
// threaded `gzip -6` of the manual procedure: blocks are compressed in
// parallel at gzip's fastest level, and runs of incompressible data
// (WiredTiger's snappy-compressed pages; a cheap sample per 32 KiB tells)
// are stored instead of searched for matches, which keeps gzip's CPU cost
// close to zstd's. A backup is then bound by the disk writing the archive
// and the copy, and by SHA-256, not by the compressor. On the issue-4
// benchmark (2 GiB dbpath-shaped tree, 2-core VM) tar.gz took 16.1s and
// tar.zst 14.4s, with archives of 53% and 46% of the data; the disk alone
// needed 9.7s to write and fsync the same bytes. tar.zst archives verify
// and restore somewhat faster.
//
// # Platforms
//
// Owners are kept when running as root (as tar does), numerically. Windows
// keeps neither Unix modes nor owners, cannot fsync directories and makes no
// holes for skipped zero blocks (the bytes are still exact).
package backup
