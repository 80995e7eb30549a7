package run

import (
	"testing"

	"github.com/dblings/dblings/fixtures"
	"github.com/dblings/dblings/internal/owner"
)

func TestCheckDirInArguments(t *testing.T) {
	tests := []struct {
		arg, dir string
	}{
		{"/tmp/dblings-check-2x-mx1-123/check.test", "/tmp/dblings-check-2x-mx1-123"},
		{"/tmp/dblings-check-2x-mx1-123", "/tmp/dblings-check-2x-mx1-123"},
		{"/tmp/dblings-check-2x-mx1-123/go-build1/b001/_pkg_.a", "/tmp/dblings-check-2x-mx1-123"},
		{"-test.timeout=2m0s", ""},
		{"relative/dblings-check-1/check.test", ""},
		{"/tmp/dblings-local-1-2-3/pg0", ""},
	}
	for _, tt := range tests {
		dir, ok := checkDirIn(tt.arg)
		if dir != tt.dir || ok != (tt.dir != "") {
			t.Errorf("checkDirIn(%q) = %q, %v; want %q", tt.arg, dir, ok, tt.dir)
		}
	}
}

// TestOwnerCodesFitCloneNames: fixtures ignores owner codes of another
// length, which would leave every clone unattributed.
func TestOwnerCodesFitCloneNames(t *testing.T) {
	if owner.ShortLen != fixtures.OwnerLen {
		t.Fatalf("owner codes have %d characters, fixtures.OwnedBy takes %d", owner.ShortLen, fixtures.OwnerLen)
	}
	if !ownerGone((owner.Owner{PID: 1, Started: 1, Host: owner.Self().Host}).Short()) || ownerGone(owner.Self().Short()) {
		t.Error("ownerGone does not tell a gone owner from this process")
	}
}
