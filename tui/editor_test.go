package tui

import (
	"slices"
	"testing"
)

func TestEditorCommand(t *testing.T) {
	tests := []struct {
		name         string
		visual, edit string
		want         []string // nil: no editor
	}{
		{"visual first", "nvim", "nano", []string{"nvim", "/w/f.go"}},
		{"editor when no visual", "", "nano", []string{"nano", "/w/f.go"}},
		{"arguments kept", "", "code --wait", []string{"code", "--wait", "/w/f.go"}},
		{"blank visual ignored", "  ", "vi", []string{"vi", "/w/f.go"}},
		{"neither", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"VISUAL": tt.visual, "EDITOR": tt.edit}
			cmd, ok := editorCommand(func(k string) string { return env[k] }, "/w/f.go")
			if ok != (tt.want != nil) {
				t.Fatalf("ok = %v, want %v", ok, tt.want != nil)
			}
			if ok && !slices.Equal(cmd.Args, tt.want) {
				t.Errorf("args = %q, want %q", cmd.Args, tt.want)
			}
		})
	}
}
