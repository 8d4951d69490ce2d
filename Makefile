# SPDX-License-Identifier: LGPL-2.1-or-later
# cockpit-gateways: one plain Makefile. `make` builds dist/, `make check` runs every test,
# `make demo` opens the lab in a real Cockpit. Targets that need system packages install them.

PYTHON ?= /usr/bin/python3
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
VERSION := $(shell sed -n 's/^  "version": "\([^"]*\)".*/\1/p' package.json)
# Where things go on the host (without DESTDIR): `make install PREFIX=/usr` for a distribution.
libexecdir = $(PREFIX)/libexec/cockpit-gateways
unitdir = $(PREFIX)/lib/systemd/system
PKGDIR = $(DESTDIR)$(PREFIX)/share/cockpit/gateways
LIBEXECDIR = $(DESTDIR)$(libexecdir)
SBINDIR = $(DESTDIR)$(PREFIX)/sbin
UNITDIR = $(DESTDIR)$(unitdir)
METAINFODIR = $(DESTDIR)$(PREFIX)/share/metainfo
DHCPDIR = $(DESTDIR)$(SYSCONFDIR)/dhcp
NMDISPATCHDIR = $(DESTDIR)$(SYSCONFDIR)/NetworkManager/dispatcher.d
METAINFO = org.cockpit_project.gateways.metainfo.xml
UNITS = cockpit-gateways.service cockpit-gateways-watch.service
TARBALL = cockpit-gateways-$(VERSION).tar.gz
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
HELPER_SRC = src/helper/cockpit-gateways tools/bundle-helper.py $(wildcard src/helper/cockpit_gateways/*.py)
UI_SRC = $(shell find src -name '*.ts' -o -name '*.tsx' -o -name '*.css' -o -name '*.html') manifest.json build.js $(METAINFO) \
         $(wildcard po/*.po) $(wildcard tools/*.mjs) README.md

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
# The machine's own routing files and rules are compared before and after every suite.
check: system-deps all
	@mkdir -p tmp && test/machine-untouched.sh snapshot tmp/machine-before
	$(MAKE) --no-print-directory check-types check-lint check-unit check-helper check-lab check-integration \
	        check-browser check-packaging check-hardening
	@test/machine-untouched.sh verify tmp/machine-before
	@echo "make check: all suites passed"

check-types: node_modules/.package-lock.json
	npx tsc --noEmit
	$(PYTHON) -m mypy --strict --no-error-summary src/helper/cockpit_gateways
	$(PYTHON) -m pyflakes src/helper test

# eslint.config.mjs: recommended + type-aware TypeScript rules, react-hooks, jsx-a11y
check-lint: node_modules/.package-lock.json
	npx eslint .

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

check-packaging: system-deps all
	$(PYTHON) -m unittest discover -s test/packaging -t . -p 'test_*.py'

# Hardening (issue 8, SECURITY.md): short, derandomized variants here; `make stress` scales every
# count (fuzzed inputs, crash modes, concurrent commands) with GW_STRESS=1.
# The figures go to a file of this run's own (runs at the same time do not add up).
HARDENING = mkdir -p tmp && export GW_FIGURES=$(CURDIR)/tmp/hardening-figures.$$$$.jsonl && \
	$(PYTHON) -m unittest discover -s test/hardening -t . -p 'test_*.py'; rc=$$?; \
	$(PYTHON) -m test.hardening.figures --reset; exit $$rc

check-hardening: system-deps
	@$(HARDENING)

stress: system-deps
	@GW_STRESS=1 && export GW_STRESS && $(HARDENING)

bench: system-deps all
	$(PYTHON) test/bench/bench_engine.py
	$(PYTHON) test/bench/bench_scale.py --routes 200000
	$(PYTHON) test/bench/bench_scale.py --browser
	node test/bench/bench_live.mjs

# The README's screenshots: the browser tests that take them (1280x800, light and dark), then
# doc/screenshots/NAME.png from test/artifacts/readme-NAME.png.
screenshots: system-deps all
	PYTHON=$(PYTHON) node test/browser/run.mjs test/browser/test-layout.mjs test/browser/test-keyboard-export.mjs
	mkdir -p doc/screenshots
	for f in test/artifacts/readme-*.png; do cp "$$f" "doc/screenshots/$${f#test/artifacts/readme-}" || exit 1; done
	@ls -l doc/screenshots

# --- translations (po/README.md) -----------------------------------------------------------
# The template: every string of src/, manifest.json and the metainfo (no dates: re-running gives
# the same bytes).
po/cockpit-gateways.pot: node_modules/.package-lock.json
	node tools/po-extract.mjs

# After strings changed in the source: a new template, merged into every po/LANG.po (new messages
# empty, changed ones fuzzy). Translate those; `make check-unit` fails while any is left.
po-update: po/cockpit-gateways.pot
	for po in po/*.po; do msgmerge --quiet --update --backup=none --previous "$$po" po/cockpit-gateways.pot || exit 1; done
	@for po in po/*.po; do printf '%s: ' "$$po"; msgfmt --check --statistics -o /dev/null "$$po"; done

# --- run it --------------------------------------------------------------------------------
demo: system-deps all
	PYTHON=$(PYTHON) test/demo.sh

devel-install: all
	mkdir -p ~/.local/share/cockpit
	ln -sfn $(CURDIR)/dist ~/.local/share/cockpit/gateways

devel-uninstall:
	rm -f ~/.local/share/cockpit/gateways

# --- install and packages ------------------------------------------------------------------
# In a git checkout `install` builds dist/ first; the release tarball (`make dist`) has no .git
# and carries dist/ prebuilt, so installing from it (as debian/rules does) needs no Node.js.
# The DHCP hooks always go to $(SYSCONFDIR) (/etc): that is where dhclient and NetworkManager
# look, whatever the PREFIX.
SUBST = sed 's|@LIBEXECDIR@|$(libexecdir)|g'

install: $(if $(wildcard .git),all)
	install -d $(PKGDIR) $(LIBEXECDIR)/cockpit_gateways $(SBINDIR) $(UNITDIR) $(METAINFODIR) \
	        $(DHCPDIR)/dhclient-exit-hooks.d $(DHCPDIR)/dhclient.d $(NMDISPATCHDIR)
	cp -R dist/. $(PKGDIR)/
	rm -f $(PKGDIR)/$(METAINFO)          # the translated metainfo (build.js) goes to share/metainfo
	install -m 0755 src/helper/cockpit-gateways $(LIBEXECDIR)/cockpit-gateways
	install -m 0644 src/helper/cockpit_gateways/*.py $(LIBEXECDIR)/cockpit_gateways/
	cp -R src/host $(LIBEXECDIR)/hooks       # templates for `cockpit-gateways install-hooks`
	ln -sfn ../libexec/cockpit-gateways/cockpit-gateways $(SBINDIR)/cockpit-gateways
	$(SUBST) src/host/dhclient-exit-hooks.d/cockpit-gateways > $(DHCPDIR)/dhclient-exit-hooks.d/cockpit-gateways
	$(SUBST) src/host/dhclient.d/cockpit_gateways.sh > $(DHCPDIR)/dhclient.d/cockpit_gateways.sh
	$(SUBST) src/host/dispatcher.d/50-cockpit-gateways > $(NMDISPATCHDIR)/50-cockpit-gateways
	chmod 0755 $(DHCPDIR)/dhclient-exit-hooks.d/cockpit-gateways $(DHCPDIR)/dhclient.d/cockpit_gateways.sh \
	        $(NMDISPATCHDIR)/50-cockpit-gateways
	for u in $(UNITS); do $(SUBST) src/host/systemd/$$u > $(UNITDIR)/$$u && chmod 0644 $(UNITDIR)/$$u || exit 1; done
	install -m 0644 dist/$(METAINFO) $(METAINFODIR)/$(METAINFO)
	@echo "Installed. To restore source routing at boot and repair it whenever it goes missing, enable the units:"
	@echo "    systemctl daemon-reload && systemctl enable --now $(UNITS)"
	@echo "(or: $(PREFIX)/sbin/cockpit-gateways service enable boot watch; the Debian package enables both)"

uninstall:
	rm -rf $(PKGDIR) $(LIBEXECDIR)
	rm -f $(SBINDIR)/cockpit-gateways $(METAINFODIR)/$(METAINFO) $(addprefix $(UNITDIR)/,$(UNITS)) \
	      $(DHCPDIR)/dhclient-exit-hooks.d/cockpit-gateways $(DHCPDIR)/dhclient.d/cockpit_gateways.sh \
	      $(NMDISPATCHDIR)/50-cockpit-gateways

# A reproducible tarball: the tracked sources plus the built dist/, names sorted, one mtime (the
# last commit's, or SOURCE_DATE_EPOCH), owner 0/0, no gzip timestamp.
dist: all
	@mkdir -p tmp
	{ git ls-files; find dist -type f; } | LC_ALL=C sort -u | \
	    while IFS= read -r f; do [ -f "$$f" ] && printf '%s\n' "$$f"; done > tmp/dist-files
	LC_ALL=C tar --create --format=gnu --no-recursion --files-from=tmp/dist-files --sort=name \
	    --transform 's,^,cockpit-gateways-$(VERSION)/,' --mtime=@$(SOURCE_DATE_EPOCH) \
	    --owner=0 --group=0 --numeric-owner --mode=u+w,go-w | gzip -9 -n > $(TARBALL).tmp
	mv $(TARBALL).tmp $(TARBALL)
	@echo "$(TARBALL)"

# The Debian package, built by dpkg-buildpackage from the tarball (debian/rules installs with
# PREFIX=/usr; no debhelper needed): cockpit-gateways_VERSION-REVISION_all.deb here.
deb: dist
	rm -rf tmp/deb && mkdir -p tmp/deb
	tar -xzf $(TARBALL) -C tmp/deb
	cp $(TARBALL) tmp/deb/cockpit-gateways_$(VERSION).orig.tar.gz
	cd tmp/deb/cockpit-gateways-$(VERSION) && SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) \
	    dpkg-buildpackage -us -uc -b --no-check-builddeps > ../build.log 2>&1 || { cat ../build.log; exit 1; }
	cp tmp/deb/cockpit-gateways_*_all.deb .
	@ls cockpit-gateways_*_all.deb

clean:
	rm -rf dist test/artifacts

.PHONY: all system-deps po/cockpit-gateways.pot po-update watch check check-types check-lint check-unit check-helper check-lab check-integration \
        check-browser check-packaging check-hardening stress bench screenshots demo devel-install devel-uninstall install uninstall dist deb clean
