# Two commands are all the set-up: `make slides` and `make test`.
# Every target only prepares the virtual environment and then calls the CLI,
# so conda and Windows users can run the same `artisan-course ...` commands.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: slides workshop lab test check setup export-journal materials

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)
	$(BIN)/artisan-course setup

slides: $(STAMP)
	$(BIN)/artisan-course slides --port 8866

# Serves the course to the room's network, with a join code, a QR code and private trainee identities.
workshop: $(STAMP)
	$(BIN)/artisan-course workshop --port 8866

lab: $(STAMP)
	$(BIN)/artisan-course lab

check: $(STAMP)
	$(BIN)/artisan-course check

test: $(STAMP)
	$(BIN)/artisan-course test

# The run sheets, paper quizzes, role cards and glossary, ready to print.
materials: $(STAMP)
	$(BIN)/artisan-course print-materials --out printed-materials
