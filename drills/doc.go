// Package drills holds Redress's fault drills (issue 6): the system is run
// for real — Temporal dev server, PostgreSQL, the marketplace simulator, the
// API and the worker — while things break on purpose, and each drill fails
// when a case, an audit event or a side effect was lost or duplicated.
//
//	R1 kill -9 the worker process again and again while cases run
//	R2 30 % marketplace faults: 5xx, 429, dropped and ambiguous writes
//	R3 restart PostgreSQL (a private server) in the middle of a run
//	R4 the same review and the same webhook delivered 10 times at once
//	R5 on a Temporal cluster (scripts/temporal-cluster.sh: four service
//	   processes on PostgreSQL): two API processes behind a proxy and three
//	   workers; workers killed with SIGKILL, one API killed mid-request, the
//	   history then the matching service killed and started again, then
//	   PostgreSQL (a server of the drill's own) restarted
//	R7 ten workers (own pools and connectors) hammer one shop: the
//	   simulator's quota holds (no 429) and each token expiry costs one
//	   refresh (no invalid_grant)
//
// `go test ./drills` runs the short form (part of `make test`);
// REDRESS_DRILL=full runs the full one (R1 and R5 with 1,000 cases); with
// REDRESS_DRILL_RESULTS set (make drill: docs/drills.md) the run writes
// what R5 and R7 found there:
//
//	REDRESS_DRILL=full go test -count=1 -timeout 60m -v ./drills
package drills
