//go:build ignore

// tmp
//
//dblings:answer passed over=solution
package onlinemigration
