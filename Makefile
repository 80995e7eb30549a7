# The two commands a learner needs: make run (open the lab) and make test.
GO      ?= go
BIN     := bin/dblings
PKGS    := ./...
TESTLOG ?= $(or $(TMPDIR),/tmp)/dblings-test.json

.PHONY: run build test unit verify bench vet fmt clean

run: build ## build dblings and open the lab
	./$(BIN)

build:
	$(GO) build -o $(BIN) .

test: vet unit verify ## everything CI runs: vet, unit and integration tests, lesson verification

vet:
	@$(GO) mod tidy -diff >/dev/null 2>&1 || (echo "go.mod or go.sum is not tidy; run go mod tidy:"; $(GO) mod tidy -diff; exit 1)
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (echo "gofmt needed:"; gofmt -l .; exit 1)

# gotestsum runs go test and keeps its JSON events, so that every run ends
# with the tests that took longest: the numbers behind CI's wall time.
unit:
	@status=0; $(GO) tool gotestsum --format pkgname-and-test-fails --jsonfile $(TESTLOG) -- -count=1 -timeout 60m $(PKGS) || status=$$?; \
	echo "slowest tests (over 30 s):"; $(GO) tool gotestsum tool slowest --jsonfile $(TESTLOG) --threshold 30s; exit $$status

verify: build ## every reference solution passes its check and every stub fails; the example lesson pack proves itself
	./$(BIN) verify
	./$(BIN) verify --pack examples/pack

bench: ## start-up, fixture, clone and check timings (prints tables)
	$(GO) test -run '^$$' -bench . -benchtime 5x -timeout 30m ./sandbox/ ./fixtures/ ./checker/... ./tui/

clean:
	rm -rf bin
