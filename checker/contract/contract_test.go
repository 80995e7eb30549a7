package contract_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dblings/dblings/checker/contract"
)

func TestRoundTrip(t *testing.T) {
	want := contract.Check{
		Postgres:   []string{"postgres://a@127.0.0.1:1/x", "postgres://a@127.0.0.1:2/y"},
		Redis:      "redis://127.0.0.1:3/4",
		Report:     "/tmp/report.jsonl",
		Replica:    "postgres://a@127.0.0.1:5/x",
		ReplicaLag: 1500 * time.Millisecond,
	}
	entry, err := want.Environ()
	if err != nil {
		t.Fatal(err)
	}
	name, value, _ := strings.Cut(entry, "=")
	got, err := contract.Read(func(n string) string {
		if n == name {
			return value
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Postgres, ",") != strings.Join(want.Postgres, ",") || got.Redis != want.Redis || got.Report != want.Report || got.Replica != want.Replica || got.ReplicaLag != want.ReplicaLag {
		t.Fatalf("read back %+v, want %+v", got, want)
	}
}

func TestReadRefuses(t *testing.T) {
	tests := []struct {
		name, value, says string
	}{
		{"unset", "", "plain `go test` cannot run it"},
		{"not JSON", "{", "cannot be read"},
		{"no database", `{"redis":"r","report":"p"}`, "no Postgres database"},
		{"no report", `{"postgres":["p"],"redis":"r"}`, "no report file"},
		{"empty", `{}`, "no Postgres database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := contract.Read(func(string) string { return tt.value })
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("error %v, want one saying %q", err, tt.says)
			}
			var missing *contract.MissingError
			if (tt.value == "") != errors.As(err, &missing) {
				t.Errorf("MissingError only when the variable is unset; got %T", err)
			}
		})
	}
}

func TestEnvironRefusesAnIncompleteContract(t *testing.T) {
	if _, err := (contract.Check{Report: "r"}).Environ(); err == nil {
		t.Fatal("an incomplete contract was written")
	}
}
