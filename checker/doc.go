// Package checker is the assertion library of dblings lesson checks: it
// hands the learner's code traced database handles, gathers evidence (query
// plans, round trips, Redis commands, timings, concurrency outcomes) and
// writes one JSON record per assertion for the runner and the TUI.
//
// # A check
//
// A lesson's check is exercises/<NN-lesson>/check_test.go, built with the
// tag dblings and run by `dblings check`, which passes the servers and the
// report file in the environment, as package contract defines them. A check
// starts with [New]:
//
//	c := checker.New(t)
//	err := exercise.CreateIndex(c.Ctx(), c.Pool())
//	c.RequireNoError("your migration runs", err)
//	plan, err := checker.Explain(c.Ctx(), c.Admin(), query, 42)
//	c.RequireNoError("explain the query", err)
//	scans := plan.SeqScans("posts")
//	c.Assert("no Seq Scan on posts", len(scans) == 0, message, checker.Evidence{Plan: plan})
//
// [Check.Pool] and [Check.Shards] are the handles the learner's code
// receives; they carry a [QueryLog] ([Check.QueryLog], [Check.ShardLog]),
// so nothing the code sends escapes the counts. [Check.Admin] and
// [Check.AdminShards] are the checker's own, untraced. A lesson with Redis
// opens it with package redischeck, whose learner's client carries a
// command log in the same way; it is a package of its own so that the
// lessons without Redis do not link go-redis. Every Postgres
// connection has statement, lock and idle-in-transaction timeouts (see
// [Option]). When the test ends the check fails if the learner's code left
// a connection checked out ([Check.AssertNoLeaks] does it on demand), and
// closes everything without hanging on a leaked connection.
//
// The databases hold the fixture's data of a seed: the fixed one for
// `dblings check`, another for every `dblings grade`, so that the busiest
// author or the richest account is not the same from run to run. Read
// every fact from the databases with [Check.Admin] (the busiest author is
// the author with the most posts), never from a constant; [Check.Seed] is
// for generating data the fixture describes but does not load.
//
// # Records
//
// [Check.Assert] writes a [Record] (name, ok, message, [Evidence], and the
// weight [WithWeights] gives the name) as one
// line of the report file and, when the assertion failed, fails the test
// without stopping it; [Check.Require] and [Check.RequireNoError] stop it.
// [ReadRecords] decodes a report file. The message is for the
// learner: say what was found and what was expected, e.g. "Seq Scan on
// posts, 999,980 rows removed by filter; expected an Index Scan whose
// leading column is author_id". [FormatCount] prints counts that way.
//
// # Evidence
//
//   - Plans: [Explain] runs EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) inside a
//     rolled-back transaction and returns a [Plan] tree with helpers
//     ([Plan.Find], [Plan.SeqScans], [Plan.HasSort], [Plan.IndexesUsed],
//     [Plan.RowsScanned], [Plan.TotalBuffers]); [IndexColumns] and [Indexes]
//     read index definitions from the catalogs.
//   - Round trips: [QueryLog] sees queries, batches and copies
//     ([QueryLog.RoundTrips], [Filter]); redischeck's command log sees
//     Redis commands and pipelines.
//   - Timing: [Compare] measures a candidate against a baseline in the same
//     run, interleaved, on medians. Timing supports deterministic evidence
//     (rows, buffers, round trips); it never decides alone.
//   - Concurrency: [RunConcurrently] runs N goroutines against the learner's
//     code and turns their errors and panics into counts.
//   - Errors: Postgres errors are told apart by SQLSTATE ([SQLState],
//     [IsSerializationFailure], [IsLockTimeout], [IsStatementTimeout]), never
//     by their text.
package checker
