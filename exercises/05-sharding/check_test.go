//go:build dblings

package sharding

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dblings/dblings/lessons/05-sharding/check"
)

// The check itself is lessons/05-sharding/check, compiled once and cached;
// this file hands it your work, converting your types to the check's.
func TestSharding(t *testing.T) {
	check.Run(t, exercise())
}

// init lets the check start this program a second time, to save the
// customers in another process: that process does its part and exits here,
// before go test's machinery starts.
func init() {
	check.SecondProcess(exercise())
}

func exercise() check.Exercise {
	save := func(ctx context.Context, shards []*pgxpool.Pool, customers []check.Customer, orders []check.Order) error {
		var cs []Customer
		if customers != nil {
			cs = make([]Customer, len(customers))
		}
		for i, cu := range customers {
			cs[i] = Customer(cu)
		}
		var ords []Order
		if orders != nil {
			ords = make([]Order, len(orders))
		}
		for i, o := range orders {
			ords[i] = Order(o)
		}
		return Save(ctx, shards, cs, ords)
	}
	customerOrders := func(ctx context.Context, shards []*pgxpool.Pool, customerID int64) ([]check.Order, error) {
		got, err := CustomerOrders(ctx, shards, customerID)
		var out []check.Order
		if got != nil {
			out = make([]check.Order, len(got))
		}
		for i, o := range got {
			out[i] = check.Order(o)
		}
		return out, err
	}
	topCustomers := func(ctx context.Context, shards []*pgxpool.Pool, n int) ([]check.CustomerTotal, error) {
		got, err := TopCustomers(ctx, shards, n)
		var out []check.CustomerTotal
		if got != nil {
			out = make([]check.CustomerTotal, len(got))
		}
		for i, t := range got {
			out[i] = check.CustomerTotal(t)
		}
		return out, err
	}
	return check.Exercise{ShardFor: ShardFor, Save: save, CustomerOrders: customerOrders, TopCustomers: topCustomers}
}
