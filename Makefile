# Thin entry points; the work is in scripts/ and CMake.
.PHONY: run test build deps bench bench-full clean

run:
	@scripts/run.sh

test:
	@scripts/test.sh

build:
	@scripts/build.sh

bench:
	@scripts/bench.sh --quick

bench-full:
	@scripts/bench.sh --full

deps:
	@scripts/install-deps.sh

clean:
	rm -rf build
