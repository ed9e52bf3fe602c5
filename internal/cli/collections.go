package cli

import (
	"fmt"
	"io"

	"github.com/mongostep/mongostep/internal/mdbfiles"
)

// collectionRow is one collection read from the files, for inspect.
type collectionRow struct {
	NS         string `json:"ns"`
	Documents  int64  `json:"documents"`
	Bytes      int64  `json:"bytes"`
	SizeStorer *int64 `json:"sizestorer_count,omitempty"`
	Hash       string `json:"hash"`
	Note       string `json:"note,omitempty"`
}

// collectionsFromFiles reads every collection of dbpath with the offline
// WiredTiger reader and checks each count against sizeStorer's.
func collectionsFromFiles(dbpath string) ([]collectionRow, []string, error) {
	d, err := mdbfiles.Open(dbpath)
	if err != nil {
		return nil, nil, err
	}
	all, err := d.ScanAll()
	if err != nil {
		return nil, d.Warnings, err
	}
	var rows []collectionRow
	for _, c := range d.Collections {
		st := all[c.NS]
		row := collectionRow{NS: c.NS, Documents: st.Count, Bytes: st.DataSize, Hash: st.Hash}
		if s, ok := d.SizeStorer[c.Ident]; ok {
			n := s.NumRecords
			row.SizeStorer = &n
			if n != st.Count {
				row.Note = fmt.Sprintf("sizeStorer says %d (MongoDB's cached count lags until the next checkpoint)", n)
			}
		}
		rows = append(rows, row)
	}
	return rows, d.Warnings, nil
}

func writeCollections(w io.Writer, rows []collectionRow, warnings []string, err error) {
	if err != nil {
		fmt.Fprintf(w, "%-22s cannot be read from the files: %v\n", "Collections:", err)
		return
	}
	var docs int64
	for _, r := range rows {
		docs += r.Documents
	}
	fmt.Fprintf(w, "%-22s %d, %d documents (read from the WiredTiger files at the last checkpoint)\n", "Collections:", len(rows), docs)
	for _, r := range rows {
		line := fmt.Sprintf("  %-50s %10d", r.NS, r.Documents)
		if r.Note != "" {
			line += "   " + r.Note
		}
		fmt.Fprintln(w, line)
	}
	for _, warn := range warnings {
		fmt.Fprintf(w, "WARNING: %s\n", warn)
	}
}
