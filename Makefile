# The two commands: `make run` (app on SQLite with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
# 0.0.0.0: trainees open the demo on their phones over the same Wi-Fi (make run HOST=127.0.0.1
# keeps it to this computer). `flask site addresses` prints the address to open on a phone.
HOST ?= 0.0.0.0
PORT ?= 5000

.PHONY: run test test-browser install translations extract update-translations check-translations lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed translations

# One catalogue: traincenter/translations/zh_Hans_CN/LC_MESSAGES/messages.po (Babel's own tools).
CATALOGUE_DIR := traincenter/translations
POT := build/messages.pot
KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d $(CATALOGUE_DIR)

extract: $(VENV)/.installed
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg $(KEYWORDS) --add-location=file --sort-output \
		--width=100 --project=traincenter -o $(POT) .

# After adding strings: make update-translations, fill every empty msgstr, make translations.
update-translations: extract
	$(BIN)/pybabel -q update -i $(POT) -d $(CATALOGUE_DIR) -l zh_Hans_CN --no-fuzzy-matching \
		--ignore-obsolete --width=100
	$(BIN)/python scripts/i18n.py check

check-translations: $(VENV)/.installed
	$(BIN)/python scripts/i18n.py check

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed --if-empty
	@$(BIN)/flask site addresses --host $(HOST) --port $(PORT)
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install
	$(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check traincenter tests benchmarks scripts config.py wsgi.py
	$(BIN)/lint-imports --no-logo --no-cache

clean:
	rm -rf $(VENV) instance/*.db instance/*.db-wal instance/*.db-shm
