# The two commands a learner needs: make run (open the lab) and make test.
GO      ?= go
BIN     := bin/dblings
PKGS    := ./...
# go test starts packages in the order named, two at a time on two cores:
# the lesson answers take longest, so they start first, beside the CLI's
# tests, and the short packages fill in after the CLI's.
TESTPKGS := ./internal/lessontest ./internal/cli ./...
TESTLOG ?= $(or $(TMPDIR),/tmp)/dblings-test.json
BENCHLOG ?= $(or $(TMPDIR),/tmp)/dblings-bench.txt

.PHONY: run build test unit verify bench vet fmt clean

run: build ## build dblings and open the lab
	./$(BIN)

build:
	$(GO) build -o $(BIN) .

# What dblings verify proves of every lesson (its solution passes, its stub
# fails) runs inside unit, in internal/lessontest beside each lesson's
# answers; internal/cli's TestVerifyTheLessonsNamed and
# TestVerifyProvesTheExamplePack run the command itself.
test: vet unit ## everything CI runs: vet, unit and integration tests, lesson verification

vet:
	@$(GO) mod tidy -diff >/dev/null 2>&1 || (echo "go.mod or go.sum is not tidy; run go mod tidy:"; $(GO) mod tidy -diff; exit 1)
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (echo "gofmt needed:"; gofmt -l .; exit 1)

# gotestsum runs go test and keeps its JSON events, so that every run ends
# with the tests that took longest: the numbers behind CI's wall time.
unit:
	@status=0; $(GO) tool gotestsum --format pkgname-and-test-fails --jsonfile $(TESTLOG) -- -count=1 -timeout 60m $(TESTPKGS) || status=$$?; \
	echo "slowest tests (over 30 s):"; $(GO) tool gotestsum tool slowest --jsonfile $(TESTLOG) --threshold 30s; exit $$status

verify: build ## every reference solution passes its check and every stub fails; the example lesson pack proves itself (on servers of its own)
	./$(BIN) verify
	./$(BIN) verify --pack examples/pack

# bench runs the benchmarks (a learner's edit-to-verdict per lesson, the
# first verdict in a fresh lab, too-slow answers, fixture load against
# pgbench, clone, start-up) and ends with one table of figures and targets.
bench: ## the timing table: every figure a user waits for, its median, range and target
	$(GO) test -p 1 -run '^$$' -bench . -benchtime 5x -timeout 60m ./sandbox/ ./fixtures/ ./checker/... ./internal/cli/ ./tui/ 2>&1 | tee $(BENCHLOG)
	$(GO) run ./internal/benchtable $(BENCHLOG)

clean:
	rm -rf bin
