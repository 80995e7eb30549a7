package answers

import (
	"errors"
	"strings"
	"testing"
)

const stub = `// Package shop is a test stub.
package shop

import (
	"errors"
	"strconv"

	"example.com/pgx/v5"
)

// Limits of the shop.
const (
	// MaxItems is how many items a cart holds.
	MaxItems = 10
	MinItems = 1 // at least one
)

// ErrEmpty says the cart is empty.
var ErrEmpty = errors.New("empty")

// Cart holds items.
type Cart struct{ Items []string }

// Add adds an item.
//
// TODO: check MaxItems.
func (c *Cart) Add(item string) { c.Items = append(c.Items, item) }

// Label names the cart.
func Label(n int) string { return "cart " + strconv.Itoa(n) }

// Rows reads the cart.
func Rows(c pgx.Conn) {}
`

// answerFile builds an answer over the test stub from its body.
func answerFile(t *testing.T, body string) *Answer {
	t.Helper()
	a, err := Parse("answers/x.go", []byte(header("An answer.", "//dblings:answer passed")+body))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// stubWith is the stub with some of its text replaced, as Apply must
// return it.
func stubWith(pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(stub)
}

func TestApply(t *testing.T) {
	tests := []struct {
		name, answer, want string
	}{
		{
			name: "no declarations leave the stub as it is",
			want: stub,
		},
		{
			name: "a func replaced, its doc with it, an import added and one dropped",
			answer: `
import "fmt"

// Label names the cart, with fmt.
func Label(n int) string { return fmt.Sprint("cart ", n) }
`,
			want: stubWith(
				"\t\"errors\"\n\t\"strconv\"\n", "\t\"errors\"\n\t\"fmt\"\n",
				"// Label names the cart.\nfunc Label(n int) string { return \"cart \" + strconv.Itoa(n) }",
				"// Label names the cart, with fmt.\nfunc Label(n int) string { return fmt.Sprint(\"cart \", n) }"),
		},
		{
			name: "a func without a doc comment loses the stub's",
			answer: `
func Label(n int) string { return "cart" }
`,
			want: stubWith(
				"\t\"errors\"\n\t\"strconv\"\n", "\t\"errors\"\n",
				"// Label names the cart.\nfunc Label(n int) string { return \"cart \" + strconv.Itoa(n) }",
				"func Label(n int) string { return \"cart\" }"),
		},
		{
			name: "a method matches whatever its receiver is called",
			answer: `
// Add adds an item, up to MaxItems.
func (cart *Cart) Add(item string) {
	if len(cart.Items) < MaxItems {
		cart.Items = append(cart.Items, item)
	}
}
`,
			want: stubWith("// Add adds an item.\n//\n// TODO: check MaxItems.\nfunc (c *Cart) Add(item string) { c.Items = append(c.Items, item) }",
				"// Add adds an item, up to MaxItems.\nfunc (cart *Cart) Add(item string) {\n\tif len(cart.Items) < MaxItems {\n\t\tcart.Items = append(cart.Items, item)\n\t}\n}"),
		},
		{
			name: "a spec of a group replaced alone, with its doc comment",
			answer: `
// MaxItems is raised for the sale.
const MaxItems = 20
`,
			want: stubWith("\t// MaxItems is how many items a cart holds.\n\tMaxItems = 10\n",
				"\t// MaxItems is raised for the sale.\n\tMaxItems = 20\n"),
		},
		{
			name: "a group's specs replace ungrouped declarations one by one",
			answer: `
var (
	// ErrEmpty is shorter.
	ErrEmpty = errors.New("none")
	ErrFull  = errors.New("full")
)
`,
			want: stubWith("// ErrEmpty says the cart is empty.\nvar ErrEmpty = errors.New(\"empty\")",
				"// ErrEmpty is shorter.\nvar ErrEmpty = errors.New(\"none\")") +
				"\nvar ErrFull = errors.New(\"full\")\n",
		},
		{
			name: "a type replaced, a helper and an init added",
			answer: `
// Cart holds items and a count.
type Cart struct {
	Items []string
	n     int
}

func init() {}

// count is a helper the stub does not have.
func count(c *Cart) int { return c.n }
`,
			want: stubWith("// Cart holds items.\ntype Cart struct{ Items []string }",
				"// Cart holds items and a count.\ntype Cart struct {\n\tItems []string\n\tn     int\n}") +
				"\nfunc init() {}\n\n// count is a helper the stub does not have.\nfunc count(c *Cart) int { return c.n }\n",
		},
		{
			name: "a new group goes in whole",
			answer: `
const (
	small = iota
	large
)
`,
			want: stub + "\nconst (\n\tsmall = iota\n\tlarge\n)\n",
		},
		{
			name: "a versioned import stays while its package name is used",
			answer: `
func Rows(conn pgx.Conn) { _ = conn }
`,
			want: stubWith("// Rows reads the cart.\nfunc Rows(c pgx.Conn) {}", "func Rows(conn pgx.Conn) { _ = conn }"),
		},
		{
			name: "an import unused once its user is replaced is dropped",
			answer: `
func Rows() {}
`,
			want: stubWith("\n\t\"example.com/pgx/v5\"\n", "",
				"// Rows reads the cart.\nfunc Rows(c pgx.Conn) {}", "func Rows() {}"),
		},
		{
			name: "a named import is added under its name, the unnamed one dropped",
			answer: `
import db "example.com/pgx/v5"

func Rows(c db.Conn) {}
`,
			want: stubWith("\t\"example.com/pgx/v5\"\n", "\tdb \"example.com/pgx/v5\"\n",
				"// Rows reads the cart.\nfunc Rows(c pgx.Conn) {}", "func Rows(c db.Conn) {}"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply([]byte(stub), answerFile(t, tt.answer))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestApplyRefuses(t *testing.T) {
	tests := []struct {
		name, stub, answer, problem string
	}{
		{"another package", stub, "", "x.go:6: package shop, but the stub is package other"},
		{"a spec split", "package shop\n\nconst a, b = 1, 2\n", "\nconst a = 3\n", "x.go:8: the stub declares a, b together"},
		{"names joined", "package shop\n\nconst a = 1\nconst b = 2\n", "\nconst a, b = 3, 4\n", "x.go:8: a, b joins names the stub declares apart"},
		{"a name twice", stub, "\nfunc Label() {}\n\nfunc Label() {}\n", "x.go:10: the answer declares this name twice"},
		{"a new spec that needs its group", "package shop\n\nconst (\n\ta = iota\n)\n", "\nconst (\n\ta = iota\n\tb\n)\n", "x.go:10: const b takes its value from its group"},
		{"a func into a group", "package shop\n\nvar (\n\tf = 1\n)\n", "\nfunc f() {}\n", "x.go:8: func f would land inside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.stub
			if tt.name == "another package" {
				s = strings.Replace(stub, "package shop", "package other", 1)
			}
			_, err := Apply([]byte(s), answerFile(t, tt.answer))
			var me *MergeError
			if !errors.As(err, &me) {
				t.Fatalf("error %v, want a *MergeError", err)
			}
			if !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("error %q, want one saying %q", err, tt.problem)
			}
		})
	}
}
