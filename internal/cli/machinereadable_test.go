package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/progress"
	"github.com/dblings/dblings/sandbox"
)

// TestListJSON: list --format json gives every lesson in order with its
// status, the current one, hints shown, time spent and when it ran, for
// scripts.
func TestListJSON(t *testing.T) {
	ws := lessonWorkspace(t)
	p, err := progress.Open(ws)
	if err != nil {
		t.Fatal(err)
	}
	ran := time.Date(2026, 11, 21, 9, 12, 44, 0, time.UTC)
	if err := p.RecordRun(first.ID, false, ran, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.NextHint(first.ID, 3); err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Duration{-7*time.Minute - 5*time.Second, 0} {
		if err := p.RecordActivity(first.ID, ran.Add(d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.MarkCaughtUp([]string{second.ID}, ran, first.ID); err != nil {
		t.Fatal(err)
	}

	got := dblings(t, ws, nil, "list", "--format", "json")
	if got.code != 0 {
		t.Fatalf("exit %d: %s", got.code, got.errOut)
	}
	var doc struct {
		Version int    `json:"version"`
		Current string `json:"current"`
		Lessons []struct {
			ID, Title, Status string
			Points            int
			HintsShown        int    `json:"hints_shown"`
			TimeSpentS        *int64 `json:"time_spent_s"`
			Current           bool
			LastRun           *time.Time `json:"last_run"`
			CaughtUpAt        *time.Time `json:"caught_up_at"`
		}
	}
	if err := json.Unmarshal([]byte(got.out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got.out)
	}
	if doc.Version != 1 || doc.Current != first.ID || len(doc.Lessons) != len(catalog) {
		t.Fatalf("version %d, current %q, %d lessons; want 1, %q, %d", doc.Version, doc.Current, len(doc.Lessons), first.ID, len(catalog))
	}
	for i, l := range doc.Lessons {
		if l.ID != catalog[i].ID || l.Title != catalog[i].Title {
			t.Errorf("lesson %d = %s %q, want %s %q", i, l.ID, l.Title, catalog[i].ID, catalog[i].Title)
		}
	}
	one, two, three := doc.Lessons[0], doc.Lessons[1], doc.Lessons[2]
	if one.Points != catalog[0].Points || one.Status != "failed" || !one.Current || one.HintsShown != 1 || one.LastRun == nil || !one.LastRun.Equal(ran) {
		t.Errorf("first lesson = %+v, want failed, current, 1 hint, last run %v", one, ran)
	}
	if one.TimeSpentS == nil || *one.TimeSpentS != 425 {
		t.Errorf("first lesson's time_spent_s = %v, want 425 (7 min 5 s)", one.TimeSpentS)
	}
	if three.TimeSpentS == nil || *three.TimeSpentS != 0 {
		t.Errorf("third lesson's time_spent_s = %v, want 0, there for every lesson", three.TimeSpentS)
	}
	if two.Status != "caught up" || two.Current || two.CaughtUpAt == nil {
		t.Errorf("second lesson = %+v, want caught up with its time", two)
	}
	if three.Status != "not tried" || three.LastRun != nil {
		t.Errorf("third lesson = %+v, want not tried and no last run", three)
	}
}

// TestMachineReadableFormatIsChecked: an unknown format is a usage error
// that names the choices, not an empty document.
func TestMachineReadableFormatIsChecked(t *testing.T) {
	for _, cmd := range []string{"list", "doctor"} {
		t.Run(cmd, func(t *testing.T) {
			got := dblings(t, lessonWorkspace(t), nil, cmd, "--format", "yaml")
			if got.code != 2 || !strings.Contains(got.errOut, "text or json") {
				t.Errorf("exit %d, stderr %q; want 2 and the choices", got.code, got.errOut)
			}
		})
	}
}

// TestDoctorJSON: doctor --format json is the text report's checks, and
// says whether an environment can be had and which.
func TestDoctorJSON(t *testing.T) {
	ws := lessonWorkspace(t)
	text := dblings(t, ws, nil, "doctor")
	got := dblings(t, ws, nil, "doctor", "--format", "json")
	if got.code != text.code {
		t.Errorf("exit %d in json, %d in text", got.code, text.code)
	}
	var doc struct {
		Version     int    `json:"version"`
		Ready       bool   `json:"ready"`
		Environment string `json:"environment"`
		Checks      []struct {
			Name, Detail string
			OK           bool
		}
	}
	if err := json.Unmarshal([]byte(got.out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got.out)
	}
	if doc.Version != 1 || doc.Ready != (got.code == 0) || doc.Ready == (doc.Environment == "") {
		t.Errorf("version %d, ready %v, environment %q with exit %d", doc.Version, doc.Ready, doc.Environment, got.code)
	}
	names := map[string]bool{}
	for _, c := range doc.Checks {
		names[c.Name] = true
		if !strings.Contains(text.out, c.Name) || c.Detail == "" {
			t.Errorf("check %+v is not in the text report:\n%s", c, text.out)
		}
	}
	for _, want := range []string{"Go", "Docker engine", "environment"} {
		if !names[want] {
			t.Errorf("no %q check in %s", want, got.out)
		}
	}
}

// TestDoctorReportsCapabilities: with a kept environment, doctor reports
// its capabilities beside its other lines: pg_stat_statements loaded, the
// replica the replicas lesson reads from, streaming, and the archiving
// server's WAL archive, which the backup-restore lesson restores from.
func TestDoctorReportsCapabilities(t *testing.T) {
	ws := lessonWorkspace(t)
	if err := sandbox.SaveKept(ws, servers.Get(t)); err != nil {
		t.Fatal(err)
	}
	got := dblings(t, ws, nil, "doctor")
	for _, want := range []string{
		"✓ pg_stat_statements",
		"loaded in every Postgres server",
		"✓ replica            streaming,",
		"✓ WAL archive        archiving to",
	} {
		if !strings.Contains(got.out, want) {
			t.Errorf("doctor does not say %q:\n%s", want, got.out)
		}
	}
}
