//go:build ignore

// Wrong: a partial index over the sessions that have expired, WHERE
// expires_at < now(). An index's predicate must give the same answer
// forever, and now() does not: Postgres refuses to build it.
//
//dblings:answer failed over=solution assertion="your migration runs" says="IMMUTABLE"
package indextypes

const migration = `
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
ALTER TABLE articles
	ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX sessions_expired_idx ON sessions (expires_at) WHERE expires_at < now();`
