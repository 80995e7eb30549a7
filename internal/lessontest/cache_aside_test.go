package lessontest

import "testing"

func TestCacheAsideAnswers(t *testing.T) {
	checkAnswers(t, "cache-aside", []answer{
		{name: "hash-pipeline", pass: true},
		{name: "write-through", pass: true},
		{name: "negative-cache-ttl", pass: true},
		{name: "no-ttl", failing: "expires within 5 minutes", says: "has no TTL"},
		{name: "ttl-too-long", failing: "expires within 5 minutes", says: "expected at most 300 s"},
		{name: "no-invalidation", failing: "the next read sees the update", says: "the cache kept the old copy"},
		{name: "invalidate-before-write", failing: "invalidates after the write", says: "before the UPDATE had committed"},
		{name: "go-map", failing: "a miss fills the cache in Redis", says: "no Redis command"},
		{name: "not-found-forever", failing: "\"not found\" is not cached forever", says: "stays \"not found\" forever"},
		{name: "not-found-as-user", failing: "an unknown user is ErrNotFound", says: "read back as a user"},
		{name: "never-reads-cache", failing: "a hit makes no Postgres query", says: "expected none"},
	})
}
