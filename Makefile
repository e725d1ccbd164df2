# The two commands of the README: `make run` and `make test`. Both do all set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export PATH := $(CURDIR)/.venv/bin:$(PATH)
export DJANGO_SETTINGS_MODULE := gridcenter.settings
PORT ?= 8000

.PHONY: help setup run test lint lock bench messages clean

help:
	@echo "make run    - set up everything and run the platform on the demo city (http://127.0.0.1:$(PORT))"
	@echo "make test   - set up everything and run lint, checks and the whole test suite"
	@echo "make bench  - run the benchmarks under bench/ and print their figures"
	@echo "make lock   - regenerate requirements.lock and requirements-dev.lock from requirements*.txt"

setup:
	@bash scripts/setup.sh

# Development mode: DEBUG on, a local secret, the demo city loaded.
run: export GRIDCENTER_ENV := development
run: export DEBUG ?= 1
run: export HTTP_PORT := $(PORT)
run: export WSGI_PORT := $(shell echo $$(($(PORT) + 1)))
run: export ASGI_PORT := $(shell echo $$(($(PORT) + 2)))
run: export WEB_CONCURRENCY ?= 3
run: setup
	@python manage.py seed_demo
	@python manage.py demo_logins --url http://127.0.0.1:$(PORT)
	@exec honcho start -f Procfile

test: export GRIDCENTER_ENV := development
test: setup
	ruff check .
	ruff format --check .
	mypy .
	python manage.py check --fail-level WARNING
	python manage.py makemigrations --check --dry-run
	pytest

lint:
	ruff check . && ruff format --check .

# The lock files: every package, transitive ones included, pinned with its hashes, for
# Python 3.11 on Linux x86_64 (the image's and the machines'). Pins already in a lock are
# kept; the dev lock is constrained by the runtime lock, so both agree. uv is in .venv.
LOCK_FLAGS := --quiet --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
	--custom-compile-command "make lock"
lock:
	uv pip compile $(LOCK_FLAGS) requirements.txt -o requirements.lock
	uv pip compile $(LOCK_FLAGS) requirements-dev.txt --constraint requirements.lock -o requirements-dev.lock

bench: export GRIDCENTER_ENV := development
bench: setup
	python -m bench $(BENCH)

messages:
	python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=var
	python manage.py makemessages -d djangojs -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=var

clean:
	rm -rf var .pytest_cache
