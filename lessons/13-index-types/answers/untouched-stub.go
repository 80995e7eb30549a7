//go:build ignore

// Wrong: the stub as shipped. Its lookup compares lower(email), and the
// only index on users holds email as typed: the index exists, the query
// cannot use it, and every lookup reads the whole table. (The race, the
// search and the expiry job fail too.)
//
//dblings:answer failed assertion="lookup uses an index on lower(email)" says="users_email_idx holds email as typed"
package indextypes
