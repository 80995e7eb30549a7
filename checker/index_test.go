package checker_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/sandbox"
)

func testIndexes(t *testing.T, env *sandbox.Env) {
	startServers(t, env)
	c := checker.New(t)
	mustExec(t, c,
		"CREATE TABLE accounts (id bigint PRIMARY KEY, email text, region int, created_at timestamptz, note text)",
		"CREATE INDEX accounts_region_created ON accounts (region, created_at DESC) INCLUDE (note)",
		"CREATE UNIQUE INDEX accounts_email_live ON accounts (lower(email)) WHERE note IS NULL",
		"CREATE INDEX accounts_note_hash ON accounts USING hash (note)",
		"CREATE TABLE bare (x int)")

	idx, err := checker.Indexes(c.Ctx(), c.Admin(), "accounts")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]checker.Index{}
	var names []string
	for _, ix := range idx {
		byName[ix.Name] = ix
		names = append(names, ix.Name)
	}
	wantNames := []string{"accounts_email_live", "accounts_note_hash", "accounts_pkey", "accounts_region_created"}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("indexes = %v, want %v", names, wantNames)
	}

	tests := []struct {
		index   string
		columns []string
		include []string
		check   func(checker.Index) bool
	}{
		{"accounts_pkey", []string{"id"}, nil,
			func(ix checker.Index) bool { return ix.Primary && ix.Unique && ix.Method == "btree" }},
		{"accounts_region_created", []string{"region", "created_at DESC"}, []string{"note"},
			func(ix checker.Index) bool { return !ix.Unique && ix.Valid && ix.Table == "accounts" }},
		{"accounts_email_live", []string{"lower(email)"}, nil,
			func(ix checker.Index) bool { return ix.Unique && ix.Predicate == "note IS NULL" }},
		{"accounts_note_hash", []string{"note"}, nil,
			func(ix checker.Index) bool { return ix.Method == "hash" }},
	}
	for _, tt := range tests {
		t.Run(tt.index, func(t *testing.T) {
			ix := byName[tt.index]
			var cols []string
			for _, col := range ix.Columns {
				cols = append(cols, col.String())
			}
			if !slices.Equal(cols, tt.columns) || !slices.Equal(ix.Include, tt.include) {
				t.Errorf("columns %q include %q, want %q include %q", cols, ix.Include, tt.columns, tt.include)
			}
			if !tt.check(ix) {
				t.Errorf("unexpected properties: %+v", ix)
			}
			one, err := checker.LookupIndex(c.Ctx(), c.Admin(), tt.index)
			if err != nil || one.Definition != ix.Definition {
				t.Errorf("LookupIndex = %+v, %v", one, err)
			}
		})
	}

	t.Run("a table without indexes", func(t *testing.T) {
		idx, err := checker.Indexes(c.Ctx(), c.Admin(), "bare")
		if err != nil || len(idx) != 0 {
			t.Errorf("Indexes(bare) = %v, %v", idx, err)
		}
	})

	t.Run("missing objects", func(t *testing.T) {
		tests := []struct {
			kind string
			call func() error
		}{
			{"index", func() error { _, err := checker.IndexColumns(c.Ctx(), c.Admin(), "posts_author_idx"); return err }},
			{"table", func() error { _, err := checker.Indexes(c.Ctx(), c.Admin(), "no_such_table"); return err }},
		}
		for _, tt := range tests {
			var nf *checker.NotFoundError
			if err := tt.call(); !errors.As(err, &nf) || nf.Kind != tt.kind {
				t.Errorf("missing %s: err = %v, want a NotFoundError", tt.kind, err)
			}
		}
	})
}
