.PHONY: run test lint format messages security bench

run:            ## install and run the whole product on embedded defaults (README command 1)
	bin/run

test:           ## install, lint and run the whole suite on PostgreSQL and Redis (README command 2)
	bin/test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:       ## refresh the Spanish catalogues (one per app, plus locale/ for the project templates)
	bin/make-messages

security:       ## bandit over the code, then the hypothesis fuzz of every form and form view
	.venv/bin/bandit -c pyproject.toml -r accounts matching sessions evaluation mentorship \
		--severity-level medium -b security/bandit-baseline.json -f custom \
		--msg-template '{relpath}:{line} {test_id} {severity}/{confidence} {msg}'
	bin/pytest security -q -p no:logging

bench:          ## page benchmark on the production stack and the statewide data; writes docs/performance.md
	bin/bench $(BENCH_ARGS)
