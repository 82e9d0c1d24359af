# CareDesk — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD_DIR := build
ASAN_DIR := build-asan
FUZZ_DIR := build-fuzz
# `make fuzz`: seconds per harness.
FUZZ_SECONDS ?= 300
DEMO_DB ?= var/caredesk.db
DEMO_KEY ?= var/caredesk.key
DEMO_PORT ?= 8080
# The triage classifier is trained from data/triage, not shipped: `make demo` trains it when
# the file is missing or older than the data (a couple of seconds).
TRIAGE_MODEL ?= var/triage.model
TRIAGE_DATA := $(wildcard data/triage/*.tsv)
CMAKE_FLAGS := -G Ninja -DCMAKE_BUILD_TYPE=Release

.PHONY: all deps build web test test-unit test-asan test-fuzz fuzz fuzz-build test-web demo bench \
  format tidy clean

all: build

deps:
	@bash scripts/deps.sh

# Release binary at build/caredesk (plus the tests, which share the objects).
build: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) -DCAREDESK_TESTS=ON -DCAREDESK_BENCH=OFF -DCAREDESK_WERROR=ON >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The staff web app: npm packages at the versions of the lock file, then Vite
# into web/dist, which `caredesk serve` serves. Skipped when nothing changed.
# `npm install`, not `npm ci`: npm 11 leaves Vite's Windows-only optional
# dependency out of a lock written on Linux and `npm ci` then refuses the lock;
# `npm install` installs the locked versions all the same.
WEB_SOURCES := $(shell find web/src web/public web/index.html web/package.json web/package-lock.json \
  web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)
web: deps web/dist/index.html

web/node_modules/.package-lock.json: web/package-lock.json
	@cd web && npm install --no-audit --no-fund --loglevel=error

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	@cd web && npm run --silent build

# Browser journeys in headless Debian Chromium against a real server on SQLite;
# axe-core on every screen; screenshots into docs/screenshots/.
test-web: build web
	@cd web && CAREDESK_BIN=$(CURDIR)/$(BUILD_DIR)/caredesk npm test --silent

# Every test under AddressSanitizer + UndefinedBehaviorSanitizer (unit, storage
# contract on SQLite and PostgreSQL, HTTP integration), a short fixed run of every
# fuzz harness, then again in the Release build that `make demo` ships; ctest's
# summary comes last.
test: test-asan test-fuzz build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory test-web

test-asan: deps
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCAREDESK_SANITIZE=ON \
	  -DCAREDESK_TESTS=ON -DCAREDESK_WERROR=ON >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	@cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ctest --output-on-failure -j $(JOBS)

# The libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan): only the libraries they
# need and the harnesses, no caredesk binary and no GoogleTest.
fuzz-build: deps
	@cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
	  -DCAREDESK_FUZZ=ON -DCAREDESK_TESTS=OFF -DCAREDESK_BENCH=OFF >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target caredesk_fuzzers

# Each harness replays its committed corpus (tests/fuzz/corpus/<harness>) and mutates it
# for a fixed number of runs with a fixed seed.
test-fuzz: fuzz-build
	@cd $(FUZZ_DIR) && ctest --output-on-failure -L fuzz -j $(JOBS)

# Each harness for FUZZ_SECONDS on a scratch corpus under build-fuzz/fuzz/, then a table.
# A crash input lands in build-fuzz/fuzz/<harness>/artifacts/ (docs/operations.md, Fuzzing).
fuzz: fuzz-build
	@bash tests/fuzz/run.sh all $(FUZZ_DIR) $(FUZZ_SECONDS)

# Build, migrate, seed the demo district and serve on http://127.0.0.1:$(DEMO_PORT).
# A second run keeps the data in $(DEMO_DB).
# The master key file is made once and kept beside the demo database.
demo: build web $(TRIAGE_MODEL)
	@mkdir -p $(dir $(DEMO_KEY))
	@test -f $(DEMO_KEY) || ./$(BUILD_DIR)/caredesk keygen --key-file $(DEMO_KEY)
	@./$(BUILD_DIR)/caredesk seed-demo --database-url sqlite://$(DEMO_DB) --key-file $(DEMO_KEY) --history-weeks 12 \
	  --triage-model-file $(TRIAGE_MODEL) \
	  --log-level warn
	@# Agencies' risk indicators for the blind-spot screening (발굴): a simulated batch of today.
	@./$(BUILD_DIR)/caredesk screen simulate --households 3000 --seed 2026 \
	  --out-dir $(dir $(DEMO_DB))screening >/dev/null
	@./$(BUILD_DIR)/caredesk screen import --households $(dir $(DEMO_DB))screening/households.csv \
	  --indicators $(dir $(DEMO_DB))screening/indicators.csv \
	  --database-url sqlite://$(DEMO_DB) --key-file $(DEMO_KEY) --log-level error
	@echo ""
	@echo "  CareDesk demo: http://127.0.0.1:$(DEMO_PORT)/"
	@echo "  Resident desk: http://127.0.0.1:$(DEMO_PORT)/ask"
	@echo "  Health:        http://127.0.0.1:$(DEMO_PORT)/healthz"
	@echo "  API:           http://127.0.0.1:$(DEMO_PORT)/api/v1/openapi.json"
	@echo ""
	@exec ./$(BUILD_DIR)/caredesk serve --database-url sqlite://$(DEMO_DB) --key-file $(DEMO_KEY) \
	  --triage-model-file $(TRIAGE_MODEL) --port $(DEMO_PORT) \
	  --notifications-gateway file --notifications-file $(dir $(DEMO_DB))notifications.jsonl

# Also retrained after a rebuild of the binary (its model format or features may have changed).
$(TRIAGE_MODEL): $(TRIAGE_DATA) $(wildcard $(BUILD_DIR)/caredesk) | build
	@./$(BUILD_DIR)/caredesk triage train --data data/triage --model $@ --log-level warn

bench: deps
	@bash scripts/bench.sh

format:
	@find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

tidy: build
	@find src -name '*.cpp' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) build-bench web/dist web/node_modules
