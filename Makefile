# Redress: `make run` brings the whole system up; `make test` runs every test.
SHELL := /bin/bash
export GOTOOLCHAIN ?= local

.PHONY: run test build temporal-cli temporal-cluster migrate lint workflowcheck bench drill fmt

run: ## start PostgreSQL, Temporal dev server, simulator, worker and API
	@scripts/run.sh

test: ## run every test on real PostgreSQL and real Temporal
	@scripts/test.sh

build:
	go build -o bin/redress ./cmd/redress

temporal-cli: ## install the pinned Temporal CLI into the cache (outside the repo)
	@bash -c 'source scripts/lib.sh && ensure_temporal_cli'

temporal-cluster: ## build (once, into the cache) and start a PostgreSQL-backed Temporal server as 4 processes on :7633 (scripts/temporal-cluster.sh stop|status|restart SERVICE)
	@scripts/temporal-cluster.sh start

migrate: build
	REDRESS_DEV_KEYS=$${REDRESS_DEV_KEYS:-true} bin/redress migrate

lint: workflowcheck
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

workflowcheck: ## determinism check of workflow code (also run by make test)
	go run go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0 -config workflows/workflowcheck.config.yaml ./workflows/... ./intake/... ./ordercare/... ./privacy/...

bench: ## benchmark Redress against bare Temporal/PostgreSQL → docs/benchmarks.md, docs/bench-results.json (BENCH_FLAGS="-only P4")
	@bash -c 'source scripts/lib.sh && ensure_postgres && ensure_pg_checkpoints && ensure_temporal_cli && export TEMPORAL_CLI && go run ./bench -out docs/benchmarks.md -json docs/bench-results.json $(BENCH_FLAGS)'

drill: ## fault drills, full form (R1–R5 with 1,000 cases on the dev server and on a Temporal cluster, R7 quotas) → docs/drills.md
	@bash -c 'source scripts/lib.sh && ensure_postgres && ensure_temporal_cli' && scripts/temporal-cluster.sh build
	REDRESS_DRILL=full REDRESS_DRILL_RESULTS=$(CURDIR)/docs/drills.md REDRESS_DRILL_COMMAND="make drill" TEMPORAL_CLI=$${TEMPORAL_CLI:-$$HOME/.cache/redress/temporal-v1.5.1/temporal} go test -count=1 -timeout 90m -v ./drills

fmt:
	gofmt -w $$(git ls-files '*.go')
