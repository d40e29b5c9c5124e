.PHONY: setup demo test lab bench
setup:
	bash scripts/setup.sh
demo:
	./scripts/demo.sh
test:
	./scripts/test.sh
lab:
	./scripts/lab.sh
bench:
	bash scripts/setup.sh && . scripts/env.sh && for b in benchmarks/bench_*.py; do $$PY $$b; done
