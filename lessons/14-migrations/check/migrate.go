package check

import (
	"context"
	"fmt"

	"github.com/pressly/goose/v3"

	"github.com/dblings/dblings/checker"
)

// requireDownUndoes rolls every version back and compares the catalog
// with the fixture's: nothing left, nothing lost.
func requireDownUndoes(c *checker.Check, ctx context.Context, p *goose.Provider, fixture schema) {
	_, err := p.DownTo(ctx, 0)
	if err != nil {
		c.Require(nameDown, false, fmt.Sprintf("down failed: %v. goose undoes the versions newest first, "+
			"each down in its own transaction; a down drops what depends on a table before the table", err),
			checker.Evidence{Details: map[string]any{"error": err.Error()}})
	}
	added, removed := fixture.diff(readSchema(c, ctx))
	msg := "down to version 0 left the catalog exactly as it was before the first up"
	switch {
	case len(added) > 0:
		msg = fmt.Sprintf("after down to version 0 the database still has what up made: %s. "+
			"Each version's down must undo all its up did, or the next up fails, or, worse, succeeds on leftovers", list(added))
	case len(removed) > 0:
		msg = fmt.Sprintf("down to version 0 removed what the database had before the first up: %s. "+
			"A down undoes its own version's up, nothing more", list(removed))
	}
	c.Require(nameDown, len(added)+len(removed) == 0, msg, schemaEvidence(added, removed))
}

// requireRedo runs every version up again: the catalog must be the one
// the first up made, line for line.
func requireRedo(c *checker.Check, ctx context.Context, p *goose.Provider, migrated schema) {
	_, err := p.Up(ctx)
	if err != nil {
		c.Require(nameRedo, false, fmt.Sprintf("up after down failed: %v", err),
			checker.Evidence{Details: map[string]any{"error": err.Error()}})
	}
	added, removed := migrated.diff(readSchema(c, ctx))
	msg := "up, down, up made the same catalog as the first up: every table, column, constraint and index"
	if len(added)+len(removed) > 0 {
		msg = fmt.Sprintf("up, down, up does not give the catalog of the first up: now there is %s; the first up had %s",
			orNothing(added), orNothing(removed))
	}
	c.Require(nameRedo, len(added)+len(removed) == 0, msg, schemaEvidence(added, removed))
}

func orNothing(lines []string) string {
	if len(lines) == 0 {
		return "nothing more"
	}
	return list(lines)
}

// The check's injected failure: a trigger on goose's version table that
// refuses the record of one version. goose writes that record right after
// the migration's own statements, so the migration fails at its very end,
// when all its work is done.
const (
	refusalFunction = `CREATE FUNCTION dblings_refuse_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.version_id = TG_ARGV[0]::bigint THEN
		RAISE EXCEPTION 'dblings: the check makes version % fail at its very end', NEW.version_id;
	END IF;
	RETURN NEW;
END $$`
	refusalDrop = `DROP FUNCTION IF EXISTS dblings_refuse_version() CASCADE`
)

// assertNoHalfDone rolls everything back, then applies the versions one
// by one, each first with the injected failure and then for real. A
// version that fails must leave the catalog as it found it.
func assertNoHalfDone(c *checker.Check, ctx context.Context, p *goose.Provider, migrated schema) {
	_, err := p.DownTo(ctx, 0)
	c.RequireNoError("down to version 0 again", err)
	_, err = c.Admin().Exec(ctx, refusalFunction)
	c.RequireNoError("create the check's failing trigger", err)
	defer func() { _, _ = c.Admin().Exec(context.WithoutCancel(ctx), refusalDrop) }()

	for _, src := range p.ListSources() {
		if !failOnce(c, ctx, p, src.Version) {
			return
		}
		_, err := p.UpByOne(ctx)
		c.RequireNoError(fmt.Sprintf("up to version %d", src.Version), err)
	}
	_, err = c.Admin().Exec(ctx, refusalDrop)
	c.RequireNoError("drop the check's failing trigger", err)
	added, removed := migrated.diff(readSchema(c, ctx))
	c.Assert(nameNoHalfDone, len(added)+len(removed) == 0, fmt.Sprintf(
		"each of the %d versions, made to fail at its very end, left nothing behind: its statements "+
			"and goose's record of it were one transaction", len(p.ListSources())), schemaEvidence(added, removed))
}

// failOnce applies the next version with the injected failure and
// compares the catalog before and after. It records the assertion and
// returns false when the failure left something behind.
func failOnce(c *checker.Check, ctx context.Context, p *goose.Provider, version int64) bool {
	before := readSchema(c, ctx)
	trigger := fmt.Sprintf(`CREATE TRIGGER dblings_refuse_version BEFORE INSERT ON %s
		FOR EACH ROW EXECUTE FUNCTION dblings_refuse_version('%d')`, goose.DefaultTablename, version)
	_, err := c.Admin().Exec(ctx, trigger)
	c.RequireNoError("create the check's failing trigger", err)
	_, upErr := p.UpByOne(ctx)
	_, err = c.Admin().Exec(ctx, `DROP TRIGGER dblings_refuse_version ON `+goose.DefaultTablename)
	c.RequireNoError("drop the check's failing trigger", err)
	if upErr == nil {
		c.Require(nameNoHalfDone, false, fmt.Sprintf("version %d did not fail when goose's record of it was refused: "+
			"it must be recorded in %s, by goose", version, goose.DefaultTablename), checker.Evidence{})
	}

	current, err := p.GetDBVersion(ctx)
	c.RequireNoError("read goose's version", err)
	added, removed := before.diff(readSchema(c, ctx))
	if len(added)+len(removed) == 0 {
		return true
	}
	c.Assert(nameNoHalfDone, false, fmt.Sprintf("version %d, made to fail at its very end (goose could not record it), "+
		"left half a migration behind: %s. goose's version table still says %d, so the next up runs version %d "+
		"again on top of it and fails. Run the migration in the transaction goose opens for it "+
		"(goose.GoFunc{RunTx: ...}, statements on the *sql.Tx): Postgres rolls DDL back with everything else",
		version, list(append(added, removed...)), current, version), schemaEvidence(added, removed))
	return false
}
