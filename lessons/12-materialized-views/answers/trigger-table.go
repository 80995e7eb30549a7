//go:build ignore

// Right: a denormalized table kept up to date by a trigger on orders
// instead of a refresh. Every insert, update and delete of an order, from
// PlaceOrder or from anywhere else, moves its amount in or out of its
// cell in the same transaction, so the dashboard is always exact and
// Refresh has nothing to do. The price: every write of an order also
// writes a dashboard row, and writes to the same cell queue up on it.
//
//dblings:answer passed
package materializedviews

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		for _, sql := range []string{
			`CREATE TABLE sales_dashboard AS ` + DashboardQuery,
			`ALTER TABLE sales_dashboard ADD PRIMARY KEY (month, category)`,
			`CREATE FUNCTION sales_dashboard_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status NOT IN ('cancelled', 'refunded') THEN
        UPDATE sales_dashboard d
        SET orders = d.orders - 1, revenue = d.revenue - OLD.amount
        FROM products p JOIN categories c ON c.id = p.category_id
        WHERE p.id = OLD.product_id AND d.category = c.name
          AND d.month = date_trunc('month', OLD.created_at, 'UTC');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status NOT IN ('cancelled', 'refunded') THEN
        INSERT INTO sales_dashboard (month, category, orders, revenue)
        SELECT date_trunc('month', NEW.created_at, 'UTC'), c.name, 1, NEW.amount
        FROM products p JOIN categories c ON c.id = p.category_id
        WHERE p.id = NEW.product_id
        ON CONFLICT (month, category) DO UPDATE
        SET orders = sales_dashboard.orders + 1, revenue = sales_dashboard.revenue + EXCLUDED.revenue;
    END IF;
    DELETE FROM sales_dashboard WHERE orders = 0;
    RETURN NULL;
END $$`,
			`CREATE TRIGGER orders_follow_dashboard AFTER INSERT OR UPDATE OR DELETE ON orders
FOR EACH ROW EXECUTE FUNCTION sales_dashboard_follow()`,
		} {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return err
			}
		}
		return nil
	})
}

func Dashboard(ctx context.Context, db *pgxpool.Pool) ([]DashboardRow, error) {
	rows, err := db.Query(ctx, `SELECT month, category, orders, (revenue * 100)::bigint FROM sales_dashboard ORDER BY month, category`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[DashboardRow])
}

// Refresh has nothing to do: the trigger keeps the table exact.
func Refresh(ctx context.Context, db *pgxpool.Pool) error {
	return nil
}
