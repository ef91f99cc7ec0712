# Herald: build, test, run and install.
#   make run       install missing Debian packages, build (release), run the daemon on ./config.json
#   make test      install missing Debian packages, run the whole test suite (offline)
#   make lint      swift-format (the toolchain's, .swift-format) in strict lint mode, and every import declared
#   make install   binary, systemd units, config, man pages and shell completions into place (PREFIX, DESTDIR honoured)
#   make uninstall remove what install put in place, except the config and the database
#   make docs      man pages and bash/zsh/fish completions from the argument parser, into .build/docs
#   make deb       the Debian package .build/deb/herald_<version>_<arch>.deb (scripts/build-deb; lintian if present)
#   make check-systemd  lint the unit (systemd-analyze verify + security); see scripts/check-systemd
#   make systemd-e2e    Herald under a booted systemd in a container (root, systemd-nspawn, debootstrap)

PREFIX  ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
UNITDIR ?= /etc/systemd/system
SWIFT   ?= swift
BINDIR  ?= $(PREFIX)/bin
DOCDIR  ?= $(PREFIX)/share/doc/herald
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# Debian's zsh reads vendor-completions under /usr only; for /usr/local its fpath has site-functions instead.
ZSHCOMPDIR  ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/share/zsh/vendor-completions,$(PREFIX)/share/zsh/site-functions)
# A `make install` outside a Debian package leaves /usr/lib to dpkg, so these default to the admin locations
# under /etc (systemd reads both).
SYSUSERSDIR ?= $(SYSCONFDIR)/sysusers.d
TMPFILESDIR ?= $(SYSCONFDIR)/tmpfiles.d
HERALD_CONFIG_FILE = $(SYSCONFDIR)/herald/config.json
# systemd is PID 1 (sd_booted()): only then are sysusers, tmpfiles and daemon-reload run after installing.
SYSTEMD_RUNNING = $(shell [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ] && echo yes)

.PHONY: all deps build release run test lint format docs install uninstall deb check-systemd systemd-e2e clean

all: release

deps:
	@./scripts/install-deps

build: deps
	$(SWIFT) build

# The release binary carries the Swift runtime and Foundation (--static-swift-stdlib): it runs without the
# toolchain installed (ProtectHome= hides toolchains under /home), starts ~3x faster and idles ~6 MB smaller.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# Man pages (herald.1, herald-<command>.1) and completions, generated from the built binary's argument parser
# (`herald --experimental-dump-help`, `herald --generate-completion-script`): the help text is the only source.
docs: release
	./scripts/generate-docs --herald .build/release/herald --out .build/docs

run: release
	.build/release/herald run --config config.json

# The tests, the systemd unit lint (half a second), then Herald under a booted systemd in a container, installed
# both ways (about 3 minutes; the first run also builds the container's Debian root, about a minute). The lint and
# the container check each skip themselves, with a sentence saying why, where the machine cannot run them.
test: deps lint
	$(SWIFT) test
	./scripts/check-systemd
	./scripts/systemd-e2e

# The unit names /usr/local/bin/herald and /etc/herald/config.json; other PREFIX/BINDIR/SYSCONFDIR values are
# written into the installed copy, so ExecStart= always names the binary that was installed.
install: release docs
	install -D -m 0755 .build/release/herald $(DESTDIR)$(BINDIR)/herald
	@mkdir -p .build/systemd
	sed -e 's|/usr/local/bin/herald|$(BINDIR)/herald|g' \
	    -e 's|/etc/herald/config.json|$(HERALD_CONFIG_FILE)|g' \
	    -e 's|/usr/local/share/doc/herald|$(DOCDIR)|g' systemd/herald.service > .build/systemd/herald.service
	install -D -m 0644 .build/systemd/herald.service $(DESTDIR)$(UNITDIR)/herald.service
	install -D -m 0644 systemd/herald.sysusers.conf $(DESTDIR)$(SYSUSERSDIR)/herald.conf
	install -D -m 0644 systemd/herald.tmpfiles.conf $(DESTDIR)$(TMPFILESDIR)/herald.conf
	install -D -m 0644 docs/systemd.md $(DESTDIR)$(DOCDIR)/systemd.md
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 0644 .build/docs/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -D -m 0644 .build/docs/completions/herald.bash $(DESTDIR)$(BASHCOMPDIR)/herald
	install -D -m 0644 .build/docs/completions/_herald $(DESTDIR)$(ZSHCOMPDIR)/_herald
	install -D -m 0644 .build/docs/completions/herald.fish $(DESTDIR)$(FISHCOMPDIR)/herald.fish
	@if [ -e "$(DESTDIR)$(HERALD_CONFIG_FILE)" ]; then \
	  echo "keeping the existing $(DESTDIR)$(HERALD_CONFIG_FILE) (the shipped one is systemd/config.json)"; \
	else \
	  echo "install -D -m 0644 systemd/config.json $(DESTDIR)$(HERALD_CONFIG_FILE)"; \
	  install -D -m 0644 systemd/config.json $(DESTDIR)$(HERALD_CONFIG_FILE); \
	fi
ifeq ($(SYSTEMD_RUNNING),yes)
	systemd-sysusers $(SYSUSERSDIR)/herald.conf
	systemd-tmpfiles --create $(TMPFILESDIR)/herald.conf
	systemctl daemon-reload
	@echo
	@echo "Herald is installed. Start it now and at every boot with:"
	@echo "    systemctl enable --now herald"
	@echo "then: herald status; journalctl -u herald -f"
	@echo "(upgrading a running Herald: systemctl restart herald)"
else
	@echo
	@echo "Installed into $(or $(DESTDIR),/) without activating anything (DESTDIR set, or systemd is not PID 1)."
	@echo "On the target system run: systemd-sysusers; systemd-tmpfiles --create; systemctl daemon-reload;"
	@echo "    systemctl enable --now herald"
endif

# Leaves the config ($(HERALD_CONFIG_FILE)), the database (/var/lib/herald) and the herald user in place:
# they hold the operator's data and choices. The message says how to remove them.
uninstall:
ifeq ($(SYSTEMD_RUNNING),yes)
	-systemctl disable --now herald.service
endif
	rm -f $(DESTDIR)$(BINDIR)/herald
	rm -f $(DESTDIR)$(UNITDIR)/herald.service
	rm -f $(DESTDIR)$(SYSUSERSDIR)/herald.conf
	rm -f $(DESTDIR)$(TMPFILESDIR)/herald.conf
	rm -f $(DESTDIR)$(DOCDIR)/systemd.md
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null
	rm -f $(DESTDIR)$(MANDIR)/man1/herald.1 $(DESTDIR)$(MANDIR)/man1/herald-*.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/herald $(DESTDIR)$(ZSHCOMPDIR)/_herald $(DESTDIR)$(FISHCOMPDIR)/herald.fish
ifeq ($(SYSTEMD_RUNNING),yes)
	systemctl daemon-reload
endif
	@echo "Kept: $(DESTDIR)$(HERALD_CONFIG_FILE), $(DESTDIR)/var/lib/herald and the herald user."
	@echo "To remove them too: rm -r $(DESTDIR)$(SYSCONFDIR)/herald $(DESTDIR)/var/lib/herald; userdel herald"

# The static release binary, its man pages and completions (scripts/build-deb generates them from that binary) and
# packaging/debian/ into a .deb; see docs/systemd.md, "Installing the Debian package". Needs dpkg-deb and
# dpkg-shlibdeps (dpkg-dev); runs lintian when it is installed (LINTIAN=no skips it). `make test` needs neither.
deb: release
	./scripts/build-deb

# What swift-format reads: every Swift file of the package except generated fixtures (none are Swift).
SWIFT_SOURCES = Package.swift Sources Tests Benchmarks/Sources Fuzz/Harnesses

lint:
	$(SWIFT) format lint --strict --recursive --parallel --configuration .swift-format $(SWIFT_SOURCES)
	./scripts/check-imports

# Rewrites the sources in place to the configured format (what `make lint` then accepts).
format:
	$(SWIFT) format --in-place --recursive --parallel --configuration .swift-format $(SWIFT_SOURCES)

check-systemd:
	@./scripts/check-systemd

# The booted-systemd check alone; here a machine that cannot run it is a failure, not a skip.
systemd-e2e:
	E2E_REQUIRED=1 ./scripts/systemd-e2e

clean:
	rm -rf .build
