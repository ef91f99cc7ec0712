# Herald: build, test, run and install.
#   make run       install missing Debian packages, build (release), run the daemon on ./config.json
#   make test      install missing Debian packages, run the whole test suite (offline)
#   make install   binary, systemd units and config into place (PREFIX, DESTDIR honoured)

PREFIX  ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
UNITDIR ?= /etc/systemd/system
SWIFT   ?= swift

.PHONY: all deps build release run test install uninstall clean

all: release

deps:
	@./scripts/install-deps

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	.build/release/herald run --config config.json

test: deps
	$(SWIFT) test

clean:
	rm -rf .build
