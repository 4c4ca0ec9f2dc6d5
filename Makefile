# Two commands set everything up on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: demo test lint env course notebooks facilitator handout site catalogs
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

# The gettext catalogs: gather every participant text (babel.cfg) into kit/locale/eakit.pot,
# bring each language's .po up to date with it (new texts untranslated, gone ones dropped) and
# compile the .mo files (the wheel build compiles them too, see hatch_build.py).
catalogs: $(STAMP)
	$(VENV)/bin/pybabel -q extract -F babel.cfg --no-location --omit-header --width 100 -o kit/locale/eakit.pot .
	$(VENV)/bin/pybabel -q update -i kit/locale/eakit.pot -d kit/locale -D eakit --ignore-obsolete --no-fuzzy-matching --width 100
	$(VENV)/bin/pybabel -q compile -d kit/locale -D eakit --use-fuzzy

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/pytest
