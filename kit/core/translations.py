"""Definition text in other languages: one file per definition kind and language, keyed by id.

``content/translations/<code>/<kind>.yaml`` holds the translated texts of one definition file
(the maturity model, the questionnaire, the recommendations, the roles of those who answer
or the privacy notice) under
``texts``, each under the id of its place in the English file: ``questions.<question
id>.why_it_matters``, ``questions.<question id>.options.<option id>.text``, ``levels.<number>
.label``, ``recommendations.<id>.actions.<n>``. Ids, levels and scoring never change with the
language, so a localized definition scores exactly as the English one does.

``check_translations`` is what ``eakit validate`` runs: a text without a translation is a
warning naming it (it shows in English); an id the English file does not have is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from kit.core.definitions import DefinitionFiles, Definitions, RoleList, Strict
from kit.core.language import LANGUAGES, PSEUDO, SOURCE, check_language, wrap
from kit.core.privacy import PrivacyNotice, load_privacy_notice
from kit.core.yamlio import describe_location, load_model, read_yaml
from kit.errors import DefinitionError
from kit.paths import CONTENT_DIR

TRANSLATIONS_DIR = CONTENT_DIR / "translations"
Kind = Literal["maturity_model", "questionnaire", "recommendations", "roles", "privacy"]
# The fields whose words a reader sees; every other field (ids, levels, versions, sources,
# effort and impact) is the same in every language.
TEXT_FIELDS = frozenset(
    {
        "title",
        "intro",
        "label",
        "ethical_focus",
        "strategic_integration",
        "characteristics",
        "plain_summary",
        "name",
        "description",
        "text",
        "why_it_matters",
        "actions",
        "heading",
        "agree_label",
        "decline_note",
    }
)


class TranslationFile(Strict):
    schema_version: Literal[1]
    language: str = Field(pattern=r"^[a-z]{2}$")
    translates: Kind
    texts: dict[str, str]


def _slots(data: Any, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every translatable text in a definition's ``model_dump``: (id, container, key)."""
    items = data.items() if isinstance(data, dict) else []
    for name, value in items:
        if name in TEXT_FIELDS and isinstance(value, str):
            yield f"{prefix}{name}", data, name
        elif name in TEXT_FIELDS and isinstance(value, list):
            for index in range(len(value)):
                yield f"{prefix}{name}.{index}", value, index
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    key = item.get("id", item.get("number"))
                    yield from _slots(item, f"{prefix}{name}.{key}.")
        elif isinstance(value, dict):
            yield from _slots(value, f"{prefix}{name}.")


def source_texts(definition: BaseModel) -> dict[str, str]:
    """The English texts of a definition, by id."""
    return {key: box[index] for key, box, index in _slots(definition.model_dump())}


def _translated(definition: Any, texts: Callable[[str, str], str]) -> Any:
    data = definition.model_dump()
    for key, box, index in _slots(data):
        box[index] = texts(key, box[index])
    return type(definition).model_validate(data)


def translation_file(code: str, kind: Kind, folder: Path = TRANSLATIONS_DIR) -> Path:
    return folder / code / f"{kind}.yaml"


def _texts_for(code: str, kind: Kind, folder: Path) -> Callable[[str, str], str]:
    if code == PSEUDO:
        return lambda _key, text: wrap(text)
    path = translation_file(code, kind, folder)
    if code == SOURCE or not path.is_file():
        return lambda _key, text: text
    found = load_model(path, TranslationFile).texts
    return lambda key, text: found.get(key, text)


_LOCALIZED: dict[tuple[int, str, Path], tuple[Definitions, Definitions]] = {}


def localize(definitions: Definitions, code: str, folder: Path = TRANSLATIONS_DIR) -> Definitions:
    """The definitions with their texts in ``code`` (English where a text is not translated);
    kept per process, as every page of a workshop asks for the same ones."""
    code = check_language(code)
    if code == SOURCE:
        return definitions
    cached = _LOCALIZED.get((id(definitions), code, folder))
    if cached is not None and cached[0] is definitions:
        return cached[1]
    localized = replace(
        definitions,
        model=_translated(definitions.model, _texts_for(code, "maturity_model", folder)),
        questionnaire=_translated(
            definitions.questionnaire, _texts_for(code, "questionnaire", folder)
        ),
        recommendations=_translated(
            definitions.recommendations, _texts_for(code, "recommendations", folder)
        ),
        role_list=_translated(_roles(definitions), _texts_for(code, "roles", folder)),
    )
    _LOCALIZED[(id(definitions), code, folder)] = (definitions, localized)
    return localized


def localize_notice(
    notice: PrivacyNotice, code: str, folder: Path = TRANSLATIONS_DIR
) -> PrivacyNotice:
    code = check_language(code)
    return notice if code == SOURCE else _translated(notice, _texts_for(code, "privacy", folder))


def _roles(definitions: Definitions) -> RoleList:
    return definitions.role_list or load_model(DefinitionFiles().roles, RoleList)


def _sources(definitions: Definitions, notice: PrivacyNotice) -> dict[Kind, BaseModel]:
    return {
        "maturity_model": definitions.model,
        "questionnaire": definitions.questionnaire,
        "recommendations": definitions.recommendations,
        "roles": _roles(definitions),
        "privacy": notice,
    }


def _translated_languages() -> list[str]:
    return sorted(set(LANGUAGES) - {SOURCE})


def check_translations(
    definitions: Definitions,
    notice: PrivacyNotice | None = None,
    folder: Path = TRANSLATIONS_DIR,
) -> tuple[list[str], list[str]]:
    """(problems, warnings) over every language's translation files: an id the English file
    lacks, a file for the wrong kind or language, a file of no known kind are problems; each
    text left untranslated is a warning."""
    problems: list[str] = []
    warnings: list[str] = []
    sources = _sources(definitions, notice or load_privacy_notice())
    for code in _translated_languages():
        for kind, source in sources.items():
            path = translation_file(code, kind, folder)
            english = source_texts(source)
            if not path.is_file():
                warnings.append(f"{path}: missing, so {len(english)} text(s) show in English")
                continue
            _check_file(path, code, kind, english, problems, warnings)
    for path in sorted(folder.glob("*/*.yaml")) if folder.is_dir() else []:
        if path.parent.name not in LANGUAGES or path.stem not in sources:
            problems.append(
                f"{path}: not a translation file the kit reads (it reads "
                f"<language>/<kind>.yaml for languages {', '.join(_translated_languages())} "
                f"and kinds {', '.join(sources)})"
            )
    return problems, warnings


def _check_file(
    path: Path,
    code: str,
    kind: Kind,
    english: dict[str, str],
    problems: list[str],
    warnings: list[str],
) -> None:
    try:
        translation = load_model(path, TranslationFile)
    except DefinitionError as exc:
        problems.extend(exc.problems)
        return
    if translation.language != code or translation.translates != kind:
        problems.append(
            f"{path}: says language {translation.language!r} and kind "
            f"{translation.translates!r}, but its place is for {code!r} and {kind!r}"
        )
    data, node = read_yaml(path)
    for key in translation.texts:
        if key not in english:
            where, line = describe_location(data, node, ["texts", key])
            problems.append(f"{path}:{line}: {where}: unknown id (not in the English file)")
    for key in english:
        if key not in translation.texts:
            warnings.append(f"{path}: {key}: not translated yet (shows in English)")
