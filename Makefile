# Two commands set everything up on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: demo test lint env course notebooks facilitator handout site
env: $(STAMP)

# One report per sample business plus a cohort summary, in ./reports (a re-run skips reports
# that are up to date). Everything opens offline in a browser and prints on A4 or Letter.
demo: $(STAMP)
	$(VENV)/bin/eakit batch kit/samples/sample_cohort.csv --workshop demo --out reports
	@echo "Open reports/summary.html (the cohort) and reports/businesses/<business_id>.html."

# The course in JupyterLab, opened on the course map (the participant edition in notebooks/).
course: $(STAMP)
	cd notebooks && ../$(VENV)/bin/jupyter lab 00_start_here.ipynb

# Rewrite notebooks/*.ipynb from their text sources in notebook_sources/ (worked answers left out).
notebooks: $(STAMP)
	$(PY) -m kit.course.build_notebooks

# The facilitator edition, worked answers included, in build/facilitator/ (not committed).
facilitator: $(STAMP)
	$(PY) -m kit.course.build_notebooks --facilitator
	$(PY) -m kit.course.handout --out build/facilitator/discussion_prompts.html
	@echo "Open it with: cd build/facilitator && ../../$(VENV)/bin/jupyter lab 00_start_here.ipynb"

# Every discussion prompt, lesson by lesson, as one printable page: build/discussion_prompts.html.
handout: $(STAMP)
	$(PY) -m kit.course.handout

# The whole course as a static website in build/site (executed lessons, glossary, cases, model).
site: $(STAMP)
	$(PY) -m kit.course.site

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/pytest
