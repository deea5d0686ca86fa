# The workbook's commands. `make run` and `make test` are the whole set-up on a fresh
# Debian machine with Swift: both install the Debian packages they need first.

DEBIAN_PACKAGES := libgnuplot-iostream-dev libopenblas-dev liblapacke-dev libpng-dev zlib1g-dev gnuplot-nox
REPORT_PACKAGES := pandoc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift
RELEASE_BIN := .build/release

.PHONY: deps report-deps build release run test bench report fuzz clean

# Installs the Debian packages of $(1) that are missing (apt-get; needs root or sudo).
define install-missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "Debian packages: all present ($(strip $(1)))"; fi
endef

## deps: install the Debian packages that are missing
deps:
	$(call install-missing,$(DEBIAN_PACKAGES))

## report-deps: pandoc, which turns the report into standalone HTML
report-deps:
	$(call install-missing,$(REPORT_PACKAGES))

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## run: every chapter, full size, figures written to figures/; then the chapters woven
## into report/report.md (and report.html when pandoc is installed: `make report`)
run: release
	$(RELEASE_BIN)/workbook run --binaries $(RELEASE_BIN)
	$(RELEASE_BIN)/workbook report --no-run

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

## report: every chapter (release, full size), woven into report/report.md and, with
## pandoc, report/report.html. `make report REPORT_FLAGS=--no-run` weaves the committed
## results and figures without running anything.
report: release report-deps
	$(RELEASE_BIN)/workbook report --binaries $(RELEASE_BIN) $(REPORT_FLAGS)

## fuzz: build the libFuzzer targets in Fuzz/ (with AddressSanitizer) and run each for
## FUZZ_SECONDS (`make fuzz FUZZ_SECONDS=600`) on a scratch copy of Fuzz/corpus; inputs that
## crash, hang or allocate too much are written to $(FUZZ_BUILD)/findings/.
FUZZ_BUILD ?= .build-fuzzer
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= IDX PNG NPZ
FUZZ_OPTIONS ?= -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -print_final_stats=1
fuzz: deps
	@for target in $(FUZZ_TARGETS); do \
	  WORKBOOK_FUZZ=1 $(SWIFT) build --scratch-path $(FUZZ_BUILD) --product Fuzz$$target \
	    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION || exit 1; \
	done
	@mkdir -p $(FUZZ_BUILD)/findings
	@failed=""; for target in $(FUZZ_TARGETS); do \
	  name=$$(echo $$target | tr A-Z a-z); corpus=$(FUZZ_BUILD)/corpus/$$name; \
	  mkdir -p $$corpus && cp Fuzz/corpus/$$name/* $$corpus/ || exit 1; \
	  echo "== Fuzz$$target for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no $(FUZZ_BUILD)/debug/Fuzz$$target $$corpus \
	    -dict=Fuzz/dictionaries/$$name.dict -max_total_time=$(FUZZ_SECONDS) $(FUZZ_OPTIONS) \
	    -artifact_prefix=$(FUZZ_BUILD)/findings/$$name- || failed="$$failed Fuzz$$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "Findings from:$$failed (inputs in $(FUZZ_BUILD)/findings/)"; exit 1; fi

clean:
	rm -rf .build
