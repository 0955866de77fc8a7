# Thin entry points; the work is in scripts/ and CMake.
.PHONY: run test build deps bench clean

run:
	@scripts/run.sh

test:
	@scripts/test.sh

build:
	@scripts/build.sh

deps:
	@scripts/install-deps.sh

clean:
	rm -rf build
