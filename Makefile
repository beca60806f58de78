# The two commands of the README. Both bootstrap first (idempotent: seconds when done).
# The Swift toolchain may not be on PATH in a fresh shell.
export PATH := $(PATH):/opt/swift/usr/bin
.PHONY: run test build bootstrap clean

# The review station on the embedded defaults; a first run submits a generated demo video
# so that there is something to review once the background workers have processed it.
run: bootstrap
	scripts/demo-source
	.build/debug/heaters

# An import of a target the package does not declare as a dependency fails the build, so a
# dependency the layer table forbids cannot sneak in through a shared module folder.
SWIFT_BUILD_FLAGS := --explicit-target-dependency-import-check error

# Everything the tests need is started by the tests themselves (Postgres, moto's S3 server).
# The layer check reads the package's dependency graph against DESIGN.md's table.
test: bootstrap
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	scripts/check-layers
	cd scripts && python3 -m unittest -q test_scene_scoring test_check_layers
	swift test $(SWIFT_BUILD_FLAGS)

build:
	swift build $(SWIFT_BUILD_FLAGS)

bootstrap:
	scripts/bootstrap

clean:
	rm -rf .build
