//go:build ignore

// Wrong: a B-tree on expires_at over every session. The job is fast, but
// the index also holds the four sessions in five that never expire, and
// every one of their writes maintains it for nothing.
//
//dblings:answer failed over=solution assertion="the expiry index leaves out what never expires" says="indexes every session"
package indextypes

const migration = `
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
ALTER TABLE articles
	ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);`
