package lessontest

import "testing"

func TestExplainIndexAnswers(t *testing.T) {
	checkAnswers(t, "explain-index", []answer{
		{name: "author-created-desc", pass: true},
		{name: "author-created-asc", pass: true},
		{name: "no-index", failing: "no Seq Scan", says: "removed 949,977 of them by filter"},
		{name: "created-at-only", failing: "leads with author_id", says: "posts_created_idx leads with created_at"},
		{name: "author-only", failing: "order served by the index", says: "a Sort remains"},
		{name: "created-at-then-author", failing: "leads with author_id", says: "leads with created_at"},
		{name: "right-plus-useless", failing: "no indexes just in case", says: "posts_title_idx"},
		{name: "migration-fails", failing: "your migration runs", says: "no_such_column"},
	})
}
