package migrate

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mongostep/mongostep/internal/inventory"
	"github.com/mongostep/mongostep/internal/mongo"
)

func (r *run) inventoryPath(which string) string {
	return filepath.Join(r.paths.RunDir, "inventory-"+which+".json")
}

// inventoryBefore takes the inventory on the first mongod that answers,
// before any FCV change, once per migration.
func (r *run) inventoryBefore(ctx context.Context, c *mongo.Client) error {
	if _, err := os.Stat(r.inventoryPath("before")); err == nil {
		return nil
	}
	return r.takeInventory(ctx, c, "before", "Counting and hashing every collection before any change")
}

// inventoryAfter takes it on the last step's mongod after its FCV is set.
func (r *run) inventoryAfter(ctx context.Context, c *mongo.Client) error {
	return r.takeInventory(ctx, c, "after", "Counting and hashing every collection after the last step")
}

func (r *run) takeInventory(ctx context.Context, c *mongo.Client, which, msg string) error {
	r.ev.info(msg)
	inv, err := c.Inventory(ctx, nil)
	if err != nil {
		return fmt.Errorf("inventory %s: %w", which, err)
	}
	dbs, colls, docs := inv.Totals()
	r.ev.info(fmt.Sprintf("Inventory %s: %d databases, %d collections, %d documents", which, dbs, colls, docs))
	b, err := json.MarshalIndent(inv, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(r.inventoryPath(which), append(b, '\n'))
}

func (r *run) readInventory(which string) (*inventory.Inventory, error) {
	b, err := os.ReadFile(r.inventoryPath(which))
	if err != nil {
		return nil, fmt.Errorf("read the inventory taken %s the steps: %w", which, err)
	}
	var inv inventory.Inventory
	if err := json.Unmarshal(b, &inv); err != nil {
		return nil, fmt.Errorf("read %s: %w", r.inventoryPath(which), err)
	}
	return &inv, nil
}

// verify compares the inventories; any difference fails the run and the
// migrated copy is not published.
func (r *run) verify() error {
	r.ev.phase("verify", "Comparing the data before and after the migration")
	if err := r.loadVerification(); err != nil {
		return err
	}
	v := r.verification
	r.ev.info("Second check: reading the documents of the source files and of the migrated files with mongostep's own WiredTiger reader")
	v.Files = r.filesCheck()
	if err := r.saveFilesCheck(v.Files); err != nil {
		return err
	}
	if f := v.Files; f.Ran && !f.OK {
		v.OK = false
		for _, d := range f.Differences {
			v.Differences = append(v.Differences, "files: "+d)
		}
	}
	r.j.Verify.State, r.j.Verify.Finished = stateDone, time.Now().UTC()
	if !v.OK {
		r.j.Verify.State = stateFailed
		r.j.Verify.Error = strings.Join(v.Differences, "; ")
		_ = r.j.save()
		rep := r.report("verification-failed")
		_ = r.saveReport(rep)
		r.ev.emit(Event{Kind: EventReport, Report: rep})
		return &Error{Kind: KindVerification,
			What: "The migrated data does not match the source:\n  " + strings.Join(v.Differences, "\n  "),
			Fix: fmt.Sprintf("Nothing was published: the source %s is untouched and still what your server should use. The migrated copy stays in %s for investigation; the inventories are in %s. Delete that folder to try again from the start.",
				r.paths.Source, r.paths.Work, r.paths.RunDir)}
	}
	r.ev.info(fmt.Sprintf("Verified: %d databases, %d collections, %d documents, the same before and after (counts, document hashes, options, indexes)", v.Databases, v.Collections, v.Documents))
	if v.Files.Ran {
		r.ev.info(fmt.Sprintf("Verified from the files: %d collections, %d documents read from the source files equal those in the migrated files", v.Files.Collections, v.Files.Documents))
	} else {
		r.ev.warn("Second check from the files skipped: " + v.Files.Skipped)
	}
	return r.j.save()
}

func (r *run) loadVerification() error {
	before, err := r.readInventory("before")
	if err != nil {
		return err
	}
	after, err := r.readInventory("after")
	if err != nil {
		return err
	}
	if r.j.Verify.State == stateFailed {
		return &Error{Kind: KindVerification,
			What: "This migration's verification failed earlier, so its copy was never published: " + r.j.Verify.Error,
			Fix: fmt.Sprintf("The source %s is untouched. Look into the inventories in %s; to try again from the start, delete that run folder (rm -rf %s).",
				r.paths.Source, r.paths.RunDir, r.paths.RunDir)}
	}
	dbs, colls, docs := before.Totals()
	diff := inventory.Diff(before, after)
	r.verification = &Verification{OK: len(diff) == 0, Differences: diff, Databases: dbs, Collections: colls, Documents: docs, Before: before, After: after}
	if b, err := os.ReadFile(filepath.Join(r.paths.RunDir, "files-check.json")); err == nil {
		var f FilesCheck
		if json.Unmarshal(b, &f) == nil {
			r.verification.Files = &f
		}
	}
	return nil
}

func (r *run) saveFilesCheck(f *FilesCheck) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(r.paths.RunDir, "files-check.json"), append(b, '\n'))
}
