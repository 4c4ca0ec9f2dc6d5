"""Read YAML definition files strictly, and point validation errors at file and line.

Shared by every definition loader (assessments and course content) so that all of them report
problems the same way: ``file:line: key.path: reason``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

from kit.core.limits import MAX_DEFINITION_BYTES, size_problem, yaml_problem
from kit.errors import DefinitionError

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


# libyaml's parser where PyYAML was built with it: the same events and nodes (with their line
# numbers), parsed in C. The kit's definition and message files take about 0.35 CPU seconds
# to parse in Python, paid by every process that reads them (each batch, kernel template, app
# server and command), and a few hundredths in C.
PARSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(
    loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first at line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse a file, returning the data and its node tree (for line numbers)."""
    try:
        too_big = size_problem(path, MAX_DEFINITION_BYTES)
        text = path.read_text(encoding="utf-8") if not too_big else ""
    except FileNotFoundError:
        raise DefinitionError([f"{path}: file not found"]) from None
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise DefinitionError([f"{path}: {reason}"]) from None
    problem = too_big or yaml_problem(path, text)
    if problem:
        raise DefinitionError([problem])
    try:
        node = yaml.compose(text, Loader=PARSER)
        data = _construct(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        reason = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError([f"{where}: invalid YAML: {reason}"]) from None
    if data is None:
        raise DefinitionError([f"{path}: the file is empty"])
    return data, node


def _construct(node: yaml.Node | None) -> Any:
    """The data a parsed document holds, built by the strict constructor."""
    if node is None:
        return None
    loader = _StrictLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def describe_location(
    data: Any, node: yaml.Node | None, loc: Sequence[str | int]
) -> tuple[str, int | None]:
    """Turn a pydantic error location into ``questions[3 id=x].options[1].level`` and a line."""
    text = ""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(part, int):
            item = data[part] if isinstance(data, list) and part < len(data) else None
            label = f" id={item['id']}" if isinstance(item, dict) and "id" in item else ""
            text += f"[{part}{label}]"
            data = item
        else:
            text += f".{part}" if text else str(part)
            data = data.get(part) if isinstance(data, dict) else None
        node = _child(node, part)
        if node is not None:
            line = node.start_mark.line + 1
    return text or "(top level)", line


def validation_problems(
    path: Path, data: Any, node: yaml.Node | None, error: pydantic.ValidationError
) -> list[str]:
    """One readable line per pydantic error: ``file:line: key: reason``."""
    problems = []
    for item in error.errors():
        loc = [part for part in item["loc"] if not str(part).startswith("function-")]
        key, line = describe_location(data, node, loc)
        where = f"{path}:{line}" if line else str(path)
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {key}: {message}")
    return problems


def load_model(path: Path, model: type[ModelT]) -> ModelT:
    """Read and validate one definition file, raising DefinitionError with every problem."""
    data, node = read_yaml(path)
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise DefinitionError(validation_problems(path, data, node, exc)) from None


def load_collecting(path: Path, model: type[ModelT], problems: list[str]) -> ModelT | None:
    """One definition file, or None with its problems added, so every file gets reported."""
    try:
        return load_model(path, model)
    except DefinitionError as exc:
        problems.extend(exc.problems)
        return None
