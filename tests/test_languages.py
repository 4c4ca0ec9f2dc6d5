"""English and French: the catalogs, the translated definitions, and the language chosen per
workshop, switched in the app and kept with the business so its report follows it.

Real parts throughout: the gettext catalog compiled from kit/locale, the translation files in
content/translations, a real SQLite store (upgraded by Alembic), the widget driven by clicks.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from kit.core.definitions import DONT_KNOW, bundled_definitions
from kit.core.language import (
    LANGUAGES,
    SOURCE,
    check_language,
    format_date,
    format_decimal,
    set_language,
    use_language,
)
from kit.core.messages import check_catalogs, extract_messages, load_messages, say
from kit.core.privacy import load_privacy_notice
from kit.core.translations import check_translations, localize, source_texts
from kit.errors import LanguageError
from kit.forms.assessment import AssessmentForm
from kit.paths import CONTENT_DIR
from kit.reports.business import business_report
from kit.store.database import Store
from tests.conftest import run_cli

ROOT = Path(__file__).parents[1]


@pytest.fixture
def english_after() -> object:
    yield
    set_language(SOURCE)


def test_french_messages_read_as_french():
    """A message, a plural, a filled-in value, French spacing before a colon."""
    assert say("entry.heading", language="fr") == "Bienvenue"
    assert say("questions.saved", language="fr", count=1) == (
        "Enregistré (1 réponse pour l'instant)."
    )
    assert say("questions.saved", language="fr", count=4) == (
        "Enregistré (4 réponses pour l'instant)."
    )
    assert say("result.area_heading", language="fr", area="Transparence", level="Proactif") == (
        "Transparence\u00a0: Proactif"
    )


def test_every_message_has_its_french():
    """The French catalog covers every key of messages.yaml and no key it lacks (so a new key
    shows up here until someone translates it)."""
    problems, missing = check_catalogs()
    assert problems == []
    assert missing == []


def test_extraction_gives_every_key_as_msgctxt():
    """The Babel extraction method yields one entry per key, the key as context and the
    English as the text (a plural as its two forms)."""
    data = (CONTENT_DIR / "messages.yaml").read_bytes()
    entries = list(extract_messages(io.BytesIO(data), [], [], {}))
    keys = load_messages().messages
    assert [messages[0] for _, _, messages, _ in entries] == list(keys)
    by_key = {messages[0]: (funcname, messages[1:]) for _, funcname, messages, _ in entries}
    assert by_key["entry.heading"] == ("pgettext", ("Welcome",))
    assert by_key["questions.saved"][0] == "npgettext"
    assert by_key["questions.saved"][1] == (
        "Saved ({count} answer so far).",
        "Saved ({count} answers so far).",
    )


def test_dates_and_numbers_follow_the_language():
    day = datetime(2026, 12, 2, 9, 30)
    assert format_date(day, "en") == "2 December 2026"
    assert format_date(day, "fr") == "2 décembre 2026"
    assert format_decimal(2.5, code="en") == "2.50"
    assert format_decimal(2.5, code="fr") == "2,50"


@pytest.mark.parametrize("code", ["de", "FR", "", "fr-CA"])
def test_a_language_the_kit_lacks_is_named_with_those_it_has(code):
    with pytest.raises(LanguageError) as caught:
        check_language(code)
    assert repr(code) in str(caught.value) and "en (English), fr (Français)" in str(caught.value)
    with pytest.raises(LanguageError):
        say("entry.heading", language=code)


def test_every_definition_text_has_its_french():
    """Every text of the model, questionnaire, recommendations and notice has a French one
    (eakit validate would name each missing one) and the French files name no unknown id."""
    problems, missing = check_translations(bundled_definitions(), load_privacy_notice())
    assert problems == []
    assert missing == []


def test_localized_definitions_score_as_the_english_ones():
    """Only words change: the French questionnaire places the same answers at the same level,
    with French names and labels."""
    from kit.core.scoring import score_valid_answers

    english = bundled_definitions()
    french = localize(english, "fr")
    answers = {qid: q.options[2].id for qid, q in english.questions.items()}
    first, second = score_valid_answers(english, answers), score_valid_answers(french, answers)
    assert [d.level for d in first.dimensions] == [d.level for d in second.dimensions]
    assert second.overall_label == "Stratégique" and first.overall_label == "Strategic"
    assert french.dimensions["transparency"].name == "Transparence"
    assert localize(english, "fr") is french  # kept per process


def _translations_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "translations"
    shutil.copytree(CONTENT_DIR / "translations", folder)
    return folder


def test_an_unknown_id_is_an_error_naming_file_line_and_id(tmp_path):
    folder = _translations_copy(tmp_path)
    path = folder / "fr" / "privacy.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  sections.cookies.heading: Les cookies\n",
        encoding="utf-8",
    )
    problems, _ = check_translations(bundled_definitions(), folder=folder)
    [problem] = problems
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.startswith(f"{path}:{len(lines)}: texts.sections.cookies.heading")
    assert "unknown id" in problem


def test_a_missing_text_is_a_warning_naming_it_and_shows_in_english(tmp_path):
    folder = _translations_copy(tmp_path)
    path = folder / "fr" / "maturity_model.yaml"
    kept = [
        line
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("  levels.2.label:")
    ]
    path.write_text("".join(kept), encoding="utf-8")
    problems, missing = check_translations(bundled_definitions(), folder=folder)
    assert problems == []
    assert missing == [f"{path}: levels.2.label: not translated yet (shows in English)"]
    assert localize(bundled_definitions(), "fr", folder).model.level(2).label == "Proactive"


def test_a_file_in_the_wrong_place_or_of_no_known_kind_is_an_error(tmp_path):
    folder = _translations_copy(tmp_path)
    (folder / "de").mkdir()
    shutil.copy(folder / "fr" / "privacy.yaml", folder / "de" / "privacy.yaml")
    shutil.copy(folder / "fr" / "privacy.yaml", folder / "fr" / "glossary.yaml")
    problems, _ = check_translations(bundled_definitions(), folder=folder)
    assert len(problems) == 2
    assert all("not a translation file the kit reads" in p for p in problems)
    assert {Path(p.split(":")[0]).name for p in problems} == {"privacy.yaml", "glossary.yaml"}


def test_eakit_validate_reports_a_broken_translation_and_keeps_going(tmp_path):
    """The command names the file, line and id; the bundled files are still all checked."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    path = content / "translations" / "fr" / "questionnaire.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  questions.no_such_question.text: Rien\n",
        encoding="utf-8",
    )
    done = run_cli("validate", str(content))
    assert done.returncode == 1
    assert f"{path}:" in done.stderr and "texts.questions.no_such_question.text" in done.stderr
    assert "1 problem(s)" in done.stdout


def test_source_texts_are_keyed_by_id_not_position():
    texts = source_texts(bundled_definitions().questionnaire)
    question = bundled_definitions().questionnaire.questions[0]
    assert texts[f"questions.{question.id}.options.{question.options[0].id}.text"] == (
        question.options[0].text
    )


def test_the_business_keeps_its_language_and_its_report_follows(tmp_path, english_after):
    """A participant switches to French while answering: what was answered stays, the form
    reads in French, and the report written later (in English by default) comes out in
    French for this business only."""
    definitions = bundled_definitions()
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store.open(url) as store:
        form = AssessmentForm(definitions, store, "w1", "smb-001", "Corner Bakery")
        form.consent.agree.value = True
        form.consent.proceed.click()
        first = next(iter(definitions.questions))
        form.questions.choose(first, DONT_KNOW)
        assert store.language("smb-001") == "en"
        form.language.widget.value = "fr"
        assert form.stage == "questions"
        assert form.questions.answers() == {first: DONT_KNOW}
        assert form.submit_button.description == "Envoyer mes réponses"
        assert form.questions.areas[0].heading == "Transparence"
        for qid, question in definitions.questions.items():
            form.questions.choose(qid, question.options[1].id)
        form.submit_button.click()
        assert form.stage == "result"
        assert "Votre résultat" in form.result.summary.value
        assert store.language("smb-001") == "fr"
        store.ensure_business("w1", "smb-002", "Garden Shop")
        store.submit("w1", "smb-002", {qid: DONT_KNOW for qid in definitions.questions}, "k2")
    set_language(SOURCE)
    french = business_report(url, "w1", "smb-001", language="en")
    english = business_report(url, "w1", "smb-002", language="en")
    assert "Où vous en êtes" in french.html and 'lang="fr"' in french.html
    assert french.title == "Corner Bakery\u00a0: rapport de maturité en automatisation éthique"
    assert "Where you stand" in english.html and 'lang="en"' in english.html


def test_the_language_column_comes_with_an_upgrade_of_an_older_store(tmp_path):
    """A store made before languages existed gains the column; its businesses keep None,
    which means their workshop's language."""
    from alembic import command
    from alembic.config import Config

    from kit.store.database import MIGRATIONS_DIR, migrate

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            sa.text(
                "INSERT INTO businesses (business_id, display_name, created_at) "
                "VALUES ('smb-old', 'Old Shop', '2025-01-01 00:00:00')"
            )
        )
    migrate(engine)
    engine.dispose()
    with Store.open(url) as store:
        assert store.language("smb-old") is None
        store.set_language("smb-old", "fr")
        assert store.language("smb-old") == "fr"
        with pytest.raises(LanguageError):
            store.set_language("smb-old", "de")
        assert store.language("smb-old") == "fr"


def test_serve_and_batch_refuse_an_unknown_language(tmp_path):
    from kit.apps.launch import app_settings
    from kit.apps.serve import kernel_environment, serve_options
    from kit.batch.run import BatchOptions, run_batch
    from kit.errors import AppSettingsError, BatchError, ServeError

    with pytest.raises(ServeError, match="--language: language 'de'"):
        serve_options("dashboard", "w1", database=str(tmp_path / "s.sqlite"), language="de")
    options = serve_options("dashboard", "w1", database=str(tmp_path / "s.sqlite"), language="fr")
    environment = kernel_environment(options)
    assert environment["EAKIT_LANGUAGE"] == "fr"
    with pytest.raises(BatchError, match="--language: language 'xx'"):
        run_batch(BatchOptions(out=tmp_path / "out", workshop="w1", language="xx"))
    assert not (tmp_path / "out").exists()
    with pytest.raises(AppSettingsError, match="EAKIT_LANGUAGE: language 'es'"):
        app_settings({**environment, "EAKIT_LANGUAGE": "es"})


def test_french_summary_and_dashboard(tmp_path):
    """The cohort summary and the dashboard in French: headings, French level names, French
    dates."""
    from kit.apps.dashboard import dashboard_html, load_picture
    from kit.reports.summary import build_summary, summary_page

    definitions = bundled_definitions()
    url = f"sqlite:///{tmp_path / 'cohort.sqlite'}"
    with Store.open(url) as store:
        for index in range(5):
            business = f"smb-{index:03d}"
            store.ensure_business("w1", business)
            answers = {qid: q.options[index % 4].id for qid, q in definitions.questions.items()}
            store.submit("w1", business, answers, f"key-{index}")
        with use_language("fr"):
            labels = {lvl.number: lvl.label for lvl in localize(definitions, "fr").model.levels}
            html = summary_page(build_summary(store, "w1"), labels)
            board = dashboard_html(load_picture(store, "w1"), labels)
    assert '<html lang="fr">' in html and "Niveaux globaux" in html
    assert "Les écarts les plus fréquents" in html and "Transformateur" in html
    assert "La salle" in board and "Niveaux globaux" in board
    assert "eakit batch --workshop w1 --language fr --out reports/w1" in board


@pytest.mark.slow
def test_the_wheel_carries_compiled_catalogs(tmp_path):
    """The wheel build compiles kit/locale/*/LC_MESSAGES/eakit.po into .mo files it ships."""
    import gettext

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        compiled = archive.read("kit/locale/fr/LC_MESSAGES/eakit.mo")
    assert "kit/_bundled/content/translations/fr/questionnaire.yaml" in names
    catalog = gettext.GNUTranslations(io.BytesIO(compiled))
    assert catalog.pgettext("entry.heading", "Welcome") == "Bienvenue"
    assert set(LANGUAGES) == {"en", "fr"}
