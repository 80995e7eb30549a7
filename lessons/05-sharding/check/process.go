package check

// A customer's shard must be the same in every process: the service that
// saved a customer yesterday and the one that looks for them today are
// different processes. So the check starts its own program a second time,
// and that second process saves the customers and says where ShardFor
// sends each of them; the check's process saves the orders. A routing that
// changes from one process to the next shows twice: in what the two
// processes say, and in the databases, where orders are not beside their
// customers (dblings's second witness looks at that after the check).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/checker"
	"github.com/dblings/dblings/checker/contract"
)

const (
	// secondProcessEnv makes the check's program the second process.
	secondProcessEnv = "DBLINGS_SHARDING_SECOND_PROCESS"
	// routesPrefix starts the line on which the second process tells where
	// ShardFor sends each customer.
	routesPrefix = "dblings-sharding-routes:"
	// secondProcessLimit bounds the second process: it saves 3,000 rows.
	secondProcessLimit = time.Minute
)

// SecondProcess runs the second process's part and exits, when the program
// is the second process; otherwise it returns at once. The exercise's
// check_test.go calls it from an init function, before go test's machinery
// starts: the second process is the same program, started by the check
// itself.
func SecondProcess(ex Exercise) {
	if os.Getenv(secondProcessEnv) != "" {
		os.Exit(saveCustomersHere(ex))
	}
}

// saveCustomersHere is the second process: it saves the customers through
// the learner's Save, as the learner's role, then prints ShardFor's answer
// for each of them.
func saveCustomersHere(ex Exercise) int {
	given, err := contract.Read(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), secondProcessLimit)
	defer cancel()
	var shards []*pgxpool.Pool
	for _, u := range given.Postgres {
		p, err := pgxpool.New(ctx, u)
		if err != nil {
			fmt.Fprintln(os.Stderr, "connect to a shard:", err)
			return 2
		}
		defer p.Close()
		shards = append(shards, p)
	}
	customers, _ := shopData(given.Seed)
	if err := ex.Save(ctx, shards, customers, nil); err != nil {
		fmt.Fprintln(os.Stderr, "Save returned an error:", err)
		return 1
	}
	routes := make([]string, len(customers))
	for i, cu := range customers {
		routes[i] = strconv.Itoa(ex.ShardFor(cu.ID, len(shards)))
	}
	fmt.Println(routesPrefix + strings.Join(routes, ","))
	return 0
}

// saveCustomersElsewhere starts the second process and returns where its
// ShardFor sends each customer, in the order of customers. What the second
// process prints reaches the check's output too, a data race report
// included.
func saveCustomersElsewhere(c *checker.Check, customers []Customer) []int {
	self, err := os.Executable()
	c.RequireNoError("find the check's own program", err)
	ctx, cancel := context.WithTimeout(c.Ctx(), secondProcessLimit+5*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), secondProcessEnv+"=1")
	cmd.Stdout = &out
	cmd.Stderr = io.MultiWriter(&out, os.Stderr)
	err = cmd.Run()
	routes, found := parseRoutes(out.String(), len(customers))
	if err != nil || !found {
		c.Require("save the customers in a second process", false,
			fmt.Sprintf("the check runs its program a second time to save the customers through your Save and ShardFor there, and that process failed (%v): %s",
				err, checker.FirstLine(out.String(), "it printed nothing")), checker.Evidence{})
	}
	return routes
}

// parseRoutes reads the second process's line of shards.
func parseRoutes(out string, customers int) ([]int, bool) {
	for _, line := range strings.Split(out, "\n") {
		rest, ok := strings.CutPrefix(line, routesPrefix)
		if !ok {
			continue
		}
		fields := strings.Split(rest, ",")
		if len(fields) != customers {
			return nil, false
		}
		routes := make([]int, customers)
		for i, f := range fields {
			n, err := strconv.Atoi(f)
			if err != nil {
				return nil, false
			}
			routes[i] = n
		}
		return routes, true
	}
	return nil, false
}

// assertSameRoutingEverywhere compares where ShardFor sends each customer
// in the check's process with where it sent them in the second process.
func assertSameRoutingEverywhere(c *checker.Check, ex Exercise, customers []Customer, elsewhere []int) {
	n := len(c.Shards())
	moved := 0
	example := ""
	for i, cu := range customers {
		if here := ex.ShardFor(cu.ID, n); here != elsewhere[i] {
			moved++
			if example == "" {
				example = fmt.Sprintf("ShardFor(%d, %d) is %d in one process and %d in the other", cu.ID, n, elsewhere[i], here)
			}
		}
	}
	msg := fmt.Sprintf("two processes of the same program sent each of the %s customers to the same shard", count(len(customers)))
	if moved > 0 {
		msg = fmt.Sprintf("two processes of the same program disagree on the shard of %s of the %s customers: %s. Your routing changes from one process to the next, as a hash with a seed drawn when the program starts does (hash/maphash, a map's iteration order): after a restart, or on the next server of the same service, nobody finds their rows. Use a hash that depends on the id alone (hash/fnv, hash/crc32) or a remainder",
			count(moved), count(len(customers)), example)
	}
	c.Assert("the same shard in every process", moved == 0, msg,
		checker.Evidence{Counts: map[string]int64{"customers": int64(len(customers)), "moved": int64(moved)}})
}
