//go:build ignore

// Wrong: the stub as shipped. CountRows returns 0 without asking the
// database, and the check says how many it counted instead.
//
// TODO(author): an example of the format. Replace it with the wrong answers
// a learner of this lesson would plausibly write: at least five, each
// failing its own assertion with a message that teaches.
//
//dblings:answer failed assertion="the count is right" says="returned 0,"
package indextypes
