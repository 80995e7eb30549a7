//go:build ignore

// Wrong: the stub as shipped. GetProfile opens a connection per request,
// so a burst of requests asks the database for more than it grants, and
// ChangeEmail keeps its connection when the UPDATE fails.
//
//dblings:answer failed assertion="an exhausted pool times out" says="opened a connection of its own" alone="a login per request floods the server"
package pooling
