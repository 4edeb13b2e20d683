PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test demo bench clean

$(BIN)/gridbot: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/gridbot
	$(BIN)/gridbot run

# The suite runs on the embedded SQLite default; when a test PostgreSQL is configured it runs
# a second time with the bot on PostgreSQL.
test: $(BIN)/gridbot
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n 4
	@if [ -n "$$GRIDBOT_TEST_PG_URL" ]; then \
		echo "== the same suite with the bot on PostgreSQL"; \
		GRIDBOT_TEST_DATABASE=postgresql $(BIN)/pytest -q -n 4; \
	fi

# The playground: the bot in a browser at http://127.0.0.1:$(DEMO_PORT)/, against a fake
# Telegram and a demo database of its own (.demo/); no BOT_TOKEN, nothing sent anywhere.
DEMO_PORT ?= 8765
demo: $(BIN)/gridbot
	@$(BIN)/python -m playground --port $(DEMO_PORT)

# Benchmarks (see bench/README.md); the generated district is made once, under bench/data/.
bench: $(BIN)/gridbot
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench.seed
	$(BIN)/python -m bench.updates
	$(BIN)/python -m bench.jobs
	$(BIN)/python -m bench.delivery
	$(BIN)/python -m bench.answers
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.web

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .demo
