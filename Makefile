# The two commands of the README. Both bootstrap first (idempotent: seconds when done).
# The Swift toolchain may not be on PATH in a fresh shell.
export PATH := $(PATH):/opt/swift/usr/bin
.PHONY: run test build bootstrap clean

# The review station on the embedded defaults; a first run submits a generated demo video
# so that there is something to review once the background workers have processed it.
run: bootstrap
	scripts/demo-source
	.build/debug/heaters

# Everything the tests need is started by the tests themselves (Postgres, moto's S3 server).
test: bootstrap
	swift build --build-tests
	cd scripts && python3 -m unittest -q test_scene_scoring
	swift test

build:
	swift build

bootstrap:
	scripts/bootstrap

clean:
	rm -rf .build
