package lessons_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dblings/dblings/lessons"
)

// TestCheckTable: the optional [check] table of a manifest says how the
// check is built; a misspelt key in it is refused like any other.
func TestCheckTable(t *testing.T) {
	const base = "id = \"x-y\"\ntitle = \"T\"\nfile = \"x.go\"\nfixture = \"blog\"\nminutes = 5\nteaches = [\"p\"]\n[servers]\npostgres = 1\n"
	tests := []struct {
		name, extra string
		race        bool
		says        string // the ManifestError's words; "" when it loads
	}{
		{"absent", "", false, ""},
		{"race on", "[check]\nrace = true\n", true, ""},
		{"race off", "[check]\nrace = false\n", false, ""},
		{"misspelt key", "[check]\nrcae = true\n", false, "unknown keys: check.rcae"},
		{"not a boolean", "[check]\nrace = \"yes\"\n", false, "lessons/01-x-y/lesson.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadOne(t, fstest.MapFS{"01-x-y/lesson.toml": {Data: []byte(base + tt.extra)}}, tt.says)
			if c == nil {
				return
			}
			if c[0].Race != tt.race {
				t.Errorf("Race = %v, want %v", c[0].Race, tt.race)
			}
		})
	}
}

// TestServersTable: [servers] declares the replica and the WAL archive a
// lesson needs; the catalog needs what its lessons need together, and
// nothing more when no lesson asks.
func TestServersTable(t *testing.T) {
	const head = "id = \"x-y\"\ntitle = \"T\"\nfile = \"x.go\"\nfixture = \"blog\"\nminutes = 5\nteaches = [\"p\"]\n"
	tests := []struct {
		name, servers string
		want          lessons.Needs
		says          string // the ManifestError's words; "" when it loads
	}{
		{"plain", "postgres = 1\n", lessons.Needs{PostgresServers: 1}, ""},
		{"replica", "postgres = 1\nreplica = true\n", lessons.Needs{PostgresServers: 1, Replica: true}, ""},
		{"archive", "postgres = 1\narchive = true\n", lessons.Needs{PostgresServers: 1, Archive: true}, ""},
		{"both, two servers", "postgres = 2\nreplica = true\narchive = true\n", lessons.Needs{PostgresServers: 2, Replica: true, Archive: true}, ""},
		{"explicitly off", "postgres = 1\nreplica = false\narchive = false\n", lessons.Needs{PostgresServers: 1}, ""},
		{"misspelt", "postgres = 1\nreplicas = true\n", lessons.Needs{}, "unknown keys: servers.replicas"},
		{"not a boolean", "postgres = 1\narchive = 1\n", lessons.Needs{}, "lessons/01-x-y/lesson.toml"},
		{"a lagged replica", "postgres = 1\nreplica = true\nreplica_lag = \"800ms\"\n", lessons.Needs{PostgresServers: 1, Replica: true}, ""},
		{"a lag without a replica", "postgres = 1\nreplica_lag = \"800ms\"\n", lessons.Needs{}, "needs servers.replica = true"},
		{"a lag that is no duration", "postgres = 1\nreplica = true\nreplica_lag = \"soon\"\n", lessons.Needs{}, "must be a Go duration"},
		{"a lag of zero", "postgres = 1\nreplica = true\nreplica_lag = \"0s\"\n", lessons.Needs{}, "must be a Go duration"},
		{"a lag as a number", "postgres = 1\nreplica = true\nreplica_lag = 800\n", lessons.Needs{}, "lessons/01-x-y/lesson.toml"},
		{"pg_stat_statements is no key", "postgres = 1\npg_stat_statements = true\n", lessons.Needs{}, "unknown keys: servers.pg_stat_statements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadOne(t, fstest.MapFS{"01-x-y/lesson.toml": {Data: []byte(head + "[servers]\n" + tt.servers)}}, tt.says)
			if c == nil {
				return
			}
			if got := c[0].Needs(); got != tt.want {
				t.Errorf("Needs = %+v, want %+v", got, tt.want)
			}
			if got := c.Needs(); got != tt.want {
				t.Errorf("the catalog's Needs = %+v, want %+v", got, tt.want)
			}
			if want := strings.Contains(tt.servers, "replica_lag"); (c[0].ReplicaLag == 800*time.Millisecond) != want {
				t.Errorf("ReplicaLag = %s", c[0].ReplicaLag)
			}
		})
	}
}

// TestCatalogNeeds: the catalog needs the union of its lessons' needs.
func TestCatalogNeeds(t *testing.T) {
	lesson := func(id, servers string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("id = \"" + id + "\"\ntitle = \"T\"\nfile = \"x.go\"\nfixture = \"blog\"\nminutes = 5\nteaches = [\"p\"]\n[servers]\n" + servers)}
	}
	c, err := lessons.Load(fstest.MapFS{
		"01-plain/lesson.toml":   lesson("plain", "postgres = 2\n"),
		"02-replica/lesson.toml": lesson("replica", "postgres = 1\nreplica = true\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := lessons.Needs{PostgresServers: 2, Replica: true}
	if got := c.Needs(); got != want {
		t.Errorf("Needs = %+v, want %+v", got, want)
	}
	if !want.Covers(c[1].Needs()) || c[0].Needs().Covers(c[1].Needs()) {
		t.Error("Covers: an environment without a replica must not serve a lesson that needs one")
	}
	if s := want.String(); s != "2 Postgres servers, a replica" {
		t.Errorf("String = %q", s)
	}
}

// loadOne loads a catalog tree. With says set, Load must refuse it with a
// ManifestError that says so, and loadOne returns nil.
func loadOne(t *testing.T, tree fstest.MapFS, says string) lessons.Catalog {
	t.Helper()
	c, err := lessons.Load(tree)
	if says != "" {
		var bad *lessons.ManifestError
		if !errors.As(err, &bad) || !strings.Contains(err.Error(), says) {
			t.Fatalf("Load = %v, want a ManifestError saying %q", err, says)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}
