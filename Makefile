# CleanRoom: `make demo` runs the main job on the embedded default; `make test` runs the tests.
# Both install any missing Debian package first (scripts/bootstrap.sh).

SWIFT ?= swift

.PHONY: demo tour test build bench bootstrap

bootstrap:
	@bash scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build

# The whole product end to end: ingest, the service on loopback, a partner, the owner and an auditor over HTTP.
demo: bootstrap
	$(SWIFT) run cleanroom demo

# The command-line tour: every `cleanroom` command in turn, with this folder as the home.
tour: build
	@bash scripts/demo.sh

test: bootstrap
	$(SWIFT) build --build-tests
	# The memory-leak check measures the whole process, so it runs alone, before the rest.
	CLEANROOM_LEAK_CHECK=1 $(SWIFT) test --filter LeakTests
	$(SWIFT) test

bench: bootstrap
	@bash Benchmarks/run.sh
