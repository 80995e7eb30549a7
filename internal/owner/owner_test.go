package owner

import (
	"os"
	"os/exec"
	"testing"
)

func TestAlive(t *testing.T) {
	self := Self()
	exited := exec.Command("true")
	if err := exited.Run(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		owner Owner
		want  bool
	}{
		{"this process", self, true},
		{"this pid with another start time (a reused pid)", Owner{PID: self.PID, Started: self.Started - 10, Host: self.Host}, false},
		{"a process that exited", Owner{PID: exited.Process.Pid, Started: self.Started, Host: self.Host}, false},
		{"no pid", Owner{Host: self.Host}, false},
		{"another host: cannot be looked at", Owner{PID: 1, Started: 1, Host: "elsewhere.example"}, true},
	}
	for _, tt := range tests {
		if got := tt.owner.Alive(); got != tt.want {
			t.Errorf("%s: Alive() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTagsReadBack(t *testing.T) {
	self := Self()
	if self.Started == 0 {
		t.Fatal("no start time for this process")
	}
	if got, ok := ParseTag(self.Tag() + "-123456"); !ok || got != self {
		t.Errorf("ParseTag(Tag) = %+v, %v; want %+v", got, ok, self)
	}
	for _, bad := range []string{"", "123456", "a.b-c", "0-0-1", "-5-6"} {
		if _, ok := ParseTag(bad); ok {
			t.Errorf("ParseTag(%q) accepted", bad)
		}
	}
	short := self.Short()
	if len(short) != ShortLen {
		t.Fatalf("Short() = %q, %d characters, want %d", short, len(short), ShortLen)
	}
	if got, ok := ParseShort(short); !ok || got != self {
		t.Errorf("ParseShort(Short) = %+v, %v; want %+v", got, ok, self)
	}
	other := Owner{PID: self.PID, Started: self.Started, Host: "elsewhere.example"}
	if got, ok := ParseShort(other.Short()); !ok || got.Here() || !got.Alive() {
		t.Errorf("another host's owner reads back as %+v (here %v): it must count as alive", got, got.Here())
	}
	if _, ok := ParseShort("t8xkc0"); ok {
		t.Error("a time was read as an owner")
	}
	host, _ := os.Hostname()
	if !self.Here() || self.Host != host {
		t.Errorf("Self() = %+v on host %q", self, host)
	}
}
