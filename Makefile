# The workbook's commands. `make run` and `make test` are the whole set-up on a fresh
# Debian machine with Swift: both install the Debian packages they need first.

DEBIAN_PACKAGES := libgnuplot-iostream-dev libopenblas-dev liblapacke-dev libpng-dev zlib1g-dev gnuplot-nox
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift
RELEASE_BIN := .build/release

.PHONY: deps build release run test bench clean

## deps: install the Debian packages that are missing (apt-get; needs root or sudo)
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "Debian packages: all present"; fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## run: every chapter, full size, figures written to figures/
run: release
	$(RELEASE_BIN)/workbook run --binaries $(RELEASE_BIN)

## test: the whole test suite (small sizes, chapters with --quick)
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## bench: speed measurements (release build), reported as ratios to DGEMM
bench: release
	$(RELEASE_BIN)/workbook bench em
	$(RELEASE_BIN)/workbook bench denoise
	$(RELEASE_BIN)/workbook bench segment
	$(RELEASE_BIN)/workbook bench denoise-image
	$(RELEASE_BIN)/workbook bench epll

clean:
	rm -rf .build
