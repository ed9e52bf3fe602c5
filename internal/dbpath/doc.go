// Package dbpath reports offline facts about a MongoDB data directory: its
// layout (a bare dbpath or a ClearML data root holding db/ and configdb/),
// storage engine, WiredTiger library versions, the last mongod version that
// ran (from FTDC), the mongod.lock state and the space the files use.
//
// It never starts a server and never writes under the directory: every file
// is opened read-only, and InUse tests the lock without creating mongod.lock.
// It reports facts only; deciding which MongoDB major can open the data is
// the upgrade planner's job.
package dbpath
