package mdbfiles

import "github.com/mongostep/mongostep/internal/inventory"

// DocHash is the order-independent document hash shared with the live
// inventory (package inventory), so hashes from the files and from a server
// compare directly.
type DocHash = inventory.DocHash
