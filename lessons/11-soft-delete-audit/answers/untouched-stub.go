//go:build ignore

// Wrong: the stub as shipped. Migrate changes nothing, so members has no
// deleted_at to mark a deletion with, and nothing else can be checked.
//
//dblings:answer failed assertion="members has deleted_at" says="has no column deleted_at"
package softdeleteaudit
