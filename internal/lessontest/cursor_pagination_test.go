package lessontest

import "testing"

func TestCursorPaginationAnswers(t *testing.T) {
	checkAnswers(t, "cursor-pagination", []answer{
		{name: "row-value-hmac", pass: true},
		{name: "expanded-checksum", pass: true},
		{name: "text-cursor-lookup", pass: true},
		{name: "no-index", failing: "an index serves the first page", says: "reads the whole posts table"},
		{name: "created-at-index", failing: "an index serves the first page", says: "put id in the index after created_at"},
		{name: "offset-cursor", failing: "page 10,000 reads only its own rows", says: "OFFSET makes Postgres walk past every post"},
		{name: "or-form", failing: "page 10,000 reads only its own rows", says: "a Filter throws 199,980 rows away"},
		{name: "timestamp-only", failing: "every post once, in order", says: "A cursor on created_at alone skips the rest of a second"},
		{name: "timestamp-only-lte", failing: "every post once, in order", says: "it ended one page and opened the next"},
		{name: "row-value-lte", failing: "every post once, in order", says: "The cursor's comparison must be strict"},
		{name: "no-tiebreak", failing: "the ORDER BY defines one order", says: "need the id as a tiebreak"},
		{name: "id-cursor", failing: "the ORDER BY defines one order", says: "ids need not follow it"},
		{name: "seconds-cursor", failing: "no repeat or skip while new posts arrive", says: "keep every microsecond"},
		{name: "unchecked-cursor", failing: "a garbage cursor is refused", says: "Feed panicked: runtime error: index out of range"},
		{name: "no-signature", failing: "an edited cursor is refused", says: "from a position nobody was given"},
		{name: "error-not-wrapped", failing: "a garbage cursor is refused", says: "does not wrap ErrInvalidCursor"},
		{name: "next-on-every-page", failing: "walk the whole feed", says: "when the feed had ended: Feed panicked"},
	})
}
