//go:build ignore

// Wrong: the stub as shipped. Version 1 makes projects, with no foreign
// key, and there is no junction table yet, so the check stops right after
// up.
//
//dblings:answer failed assertion="up creates the tables" says="no table project_members"
package migrations
