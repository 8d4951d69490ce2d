# SPDX-License-Identifier: LGPL-2.1-or-later
# cockpit-gateways: one plain Makefile. `make` builds dist/, `make check` runs every test,
# `make demo` opens the lab in a real Cockpit. Targets that need system packages install them.

PYTHON ?= /usr/bin/python3
PREFIX ?= /usr/local
DESTDIR ?=
PKGDIR = $(DESTDIR)$(PREFIX)/share/cockpit/gateways
LIBEXECDIR = $(DESTDIR)$(PREFIX)/libexec/cockpit-gateways
HELPER_SRC = src/helper/cockpit-gateways src/helper/bundle.py $(wildcard src/helper/cockpit_gateways/*.py)
UI_SRC = $(shell find src -name '*.ts' -o -name '*.tsx' -o -name '*.css' -o -name '*.html') manifest.json build.js

all: dist/manifest.json

# --- dependencies --------------------------------------------------------------------------
system-deps:
	@test/system-deps.sh

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# --- build ---------------------------------------------------------------------------------
dist/manifest.json: node_modules/.package-lock.json $(UI_SRC) $(HELPER_SRC)
	node build.js

watch: node_modules/.package-lock.json
	node build.js --watch

# --- tests ---------------------------------------------------------------------------------
check: system-deps all check-types check-unit check-helper check-lab check-integration check-browser
	@echo "make check: all suites passed"

check-types: node_modules/.package-lock.json
	npx tsc --noEmit
	$(PYTHON) -m mypy --strict --no-error-summary src/helper/cockpit_gateways
	$(PYTHON) -m pyflakes src/helper test

check-unit: node_modules/.package-lock.json
	npx vitest run

check-helper:
	$(PYTHON) -m unittest discover -s test/helper -t . -p 'test_*.py'

check-lab: system-deps
	$(PYTHON) -m unittest discover -s test/lab -t . -p 'test_*.py'

check-integration: system-deps
	$(PYTHON) -m unittest discover -s test/integration -t . -p 'test_*.py'

check-browser: system-deps all
	PYTHON=$(PYTHON) node test/browser/run.mjs

bench: system-deps
	$(PYTHON) test/bench/bench_engine.py

# --- run it --------------------------------------------------------------------------------
demo: system-deps all
	PYTHON=$(PYTHON) test/demo.sh

devel-install: all
	mkdir -p ~/.local/share/cockpit
	ln -sfn $(CURDIR)/dist ~/.local/share/cockpit/gateways

devel-uninstall:
	rm -f ~/.local/share/cockpit/gateways

install: all
	mkdir -p $(PKGDIR) $(LIBEXECDIR)/cockpit_gateways
	cp -r dist/. $(PKGDIR)/
	install -m 0755 src/helper/cockpit-gateways $(LIBEXECDIR)/cockpit-gateways
	install -m 0644 src/helper/cockpit_gateways/*.py $(LIBEXECDIR)/cockpit_gateways/

clean:
	rm -rf dist test/artifacts

.PHONY: all system-deps watch check check-types check-unit check-helper check-lab check-integration \
        check-browser bench demo devel-install devel-uninstall install clean
