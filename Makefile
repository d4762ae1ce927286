# newsfacts — two commands on a fresh machine: `make demo` and `make test`.
# Each creates .venv and installs the pinned dependencies first (once).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
DATE   ?= 2025-03-15

.PHONY: install demo test backfill dictionary lock clean bench bench-quick

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

## Run news_nightly for DATE (default 2025-03-15) on the embedded warehouse and the offline corpus.
demo: $(STAMP)
	$(BIN)/newsfacts demo --date $(DATE)

## Unit and integration tests (real PostgreSQL on 127.0.0.1:5432, real HTTP on 127.0.0.1).
test: $(STAMP)
	$(BIN)/python -m pytest

## Regenerate constraints.txt from a fresh resolution of pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check ".[dev]"
	.lock-venv/bin/python -m pip freeze --exclude newsfacts | sort -f > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .newsfacts

## Run news_nightly for every day FROM..TO (inclusive) in-process on the offline corpus.
backfill: $(STAMP)
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "usage: make backfill FROM=2025-03-11 TO=2025-03-18"; exit 2; }
	$(BIN)/newsfacts backfill --from $(FROM) --to $(TO)

## Regenerate docs/data_dictionary.md from the comments of the (migrated) warehouse.
dictionary: $(STAMP)
	$(BIN)/newsfacts migrate
	$(BIN)/newsfacts dictionary --output docs/data_dictionary.md

## Throughput, cost per stage and memory for 1,000- and 10,000-article days (about an hour;
## see benchmarks/README.md); CORPORA=../shared/corpora adds the extraction F1 figures.
BENCH_SIZES ?= 1000,10000
bench: $(STAMP)
	@mkdir -p bench-results
	$(BIN)/python benchmarks/bench.py --sizes $(BENCH_SIZES) $(if $(CORPORA),--corpora $(CORPORA)) --json bench-results/bench.json

## The same machinery on a 200-article day, one run each: a smoke check (about two minutes).
bench-quick: $(STAMP)
	@mkdir -p bench-results
	$(BIN)/python benchmarks/bench.py --sizes 200 --repeats 1 --naive-max 200 $(if $(CORPORA),--corpora $(CORPORA)) --json bench-results/bench-quick.json

## Soak: SOAK_DAYS nights in a row of SOAK_ITEMS feed items by SOAK_FEEDS outlets, 5 % of the
## pages failing and 1 % too slow; checks that memory stays flat, every failure is recorded with
## its reason and nothing valid is lost (about 5 minutes a night of 1,000 items, 10 of 2,000, on
## 2 cores; see benchmarks/README.md, "Soak"). SOAK_ARGS adds options, e.g. SOAK_ARGS="--fail-share 0.1".
.PHONY: soak
SOAK_DAYS  ?= 10
SOAK_ITEMS ?= 2000
SOAK_FEEDS ?= 20
soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py --days $(SOAK_DAYS) --items $(SOAK_ITEMS) --feeds $(SOAK_FEEDS) $(SOAK_ARGS) --json benchmarks/results/soak.json

## Scale: a generated warehouse of WAREHOUSE_ARTICLES (default 1,000,000) articles with their
## facts; times every example query, every mart refresh and a nightly load at an early point and
## at full size (about an hour and 30 GB; see benchmarks/README.md).
.PHONY: bench-warehouse
WAREHOUSE_ARTICLES ?= 1000000
bench-warehouse: $(STAMP)
	$(BIN)/python benchmarks/warehouse_scale.py --articles $(WAREHOUSE_ARTICLES)
