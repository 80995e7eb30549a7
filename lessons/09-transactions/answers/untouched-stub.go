//go:build ignore

// Wrong: the stub as shipped. Two transfers read the same balance, both
// find enough money and both take it; a failed second UPDATE leaves the
// first one committed; the report adds up pages read at different moments.
//
//dblings:answer failed assertion="the report adds up while transfers commit" says="Without a transaction every statement takes its own snapshot"
package transactions
