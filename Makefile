# Redress: `make run` brings the whole system up; `make test` runs every test.
SHELL := /bin/bash
export GOTOOLCHAIN ?= local

.PHONY: run test build temporal-cli migrate lint workflowcheck bench drill fmt

run: ## start PostgreSQL, Temporal dev server, simulator, worker and API
	@scripts/run.sh

test: ## run every test on real PostgreSQL and real Temporal
	@scripts/test.sh

build:
	go build -o bin/redress ./cmd/redress

temporal-cli: ## install the pinned Temporal CLI into the cache (outside the repo)
	@bash -c 'source scripts/lib.sh && ensure_temporal_cli'

migrate: build
	bin/redress migrate

lint: workflowcheck
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

workflowcheck: ## determinism check of workflow code (also run by make test)
	go run go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0 -config workflows/workflowcheck.config.yaml ./workflows/... ./intake/...

fmt:
	gofmt -w $$(git ls-files '*.go')
