"""Loading a data file into a typed, cross-checked ``CaseData``.

Every problem is collected with its file, line, column and field path and
reported once, in the manner of mkdocs' config validation: an analyst fixes
the whole file in one pass instead of one error per run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel
from pydantic_core import ErrorDetails

from ..errors import Problem, ValidationError
from .loader import Loaded, Marks, Path_, load_yaml
from .messages import describe
from .references import reference_problems
from .schema import CaseData, SourceRegister
from .spreadsheet import load_cases_table


def format_path(path: Path_) -> str:
    """``('cases', 2, 'deals', 0)`` -> ``cases[2].deals[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


Locate = Callable[[Path_], str]
ModelT = TypeVar("ModelT", bound=BaseModel)


def load_case_data(path: Path) -> CaseData:
    """Read, validate and cross-check the data file at ``path``: every
    schema and reference problem is reported at once, sorted by line."""
    loaded = load_yaml(path)
    if not isinstance(loaded.data, dict):
        raise ValidationError(
            [
                Problem(
                    f"{path}:1:1",
                    "the file must hold a mapping of keys (name: value lines), "
                    f"found {_shown_type(loaded.data)}",
                )
            ]
        )
    data = dict(loaded.data)
    register = _load_register(path, data)
    locate = _with_table(path, data, loaded.marks)
    problems: list[Problem] = []
    try:
        case_data: CaseData | None = _validated(CaseData, data, locate)
    except ValidationError as exc:
        problems += exc.located
        case_data = None
    registered = {s.id: s.paragraphs for s in register.sources} if register else {}
    problems += reference_problems(data, registered, locate, format_path)
    if problems:
        problems.sort(key=lambda p: _order(p, path))
        raise ValidationError(problems)
    assert case_data is not None  # no problems means the schema passed
    if register is not None:
        case_data = case_data.model_copy(
            update={"sources": [*case_data.sources, *register.sources]}
        )
    return case_data


def _shown_type(value: Any) -> str:
    return "a list" if isinstance(value, list) else f"a single value ({value!r})"


_PLACE = re.compile(r":(\d+):(\d+)$")


def _order(problem: Problem, data_file: Path) -> tuple[int, int, int, str]:
    """File order: the data file's problems by line and column, then those
    of other files (a source register, a table of cases)."""
    hit = _PLACE.search(problem.where)
    here = problem.where.startswith(str(data_file)) and hit is not None
    line, column = (int(hit.group(1)), int(hit.group(2))) if hit else (0, 0)
    return (0 if here else 1, line, column, problem.where)


def _with_table(path: Path, data: dict[str, Any], marks: Marks) -> Locate:
    """Append the cases of ``cases_from`` to ``data`` and return a locator
    that names the cell of a table case and the line of a YAML one."""
    ref, sheet = data.get("cases_from"), data.get("cases_sheet")
    if not isinstance(ref, str):
        return marks.where
    table = load_cases_table(path.parent / ref, sheet if isinstance(sheet, str) else None)
    own = data.get("cases", [])
    if not isinstance(own, list):
        return marks.where  # the schema reports the bad 'cases' value itself
    data["cases"] = [*own, *table.rows]

    def locate(place: Path_) -> str:
        if (
            len(place) >= 2
            and place[0] == "cases"
            and isinstance(place[1], int)
            and place[1] >= len(own)
        ):
            return table.find(place[1] - len(own), tuple(place[2:]))
        return marks.where(place)

    return locate


def _load_register(path: Path, data: dict[str, Any]) -> SourceRegister | None:
    ref = data.get("sources_from")
    if not isinstance(ref, str):
        return None
    loaded = load_yaml((path.parent / ref).resolve(), "source register")
    return _validated(SourceRegister, loaded.data, loaded.marks.where)


# --------------------------------------------------------------------------
# Schema problems


def _validated(model: type[ModelT], data: Any, locate: Locate) -> ModelT:
    """``data`` as ``model``, or a ValidationError listing every problem."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(list(_schema_problems(model, data, locate, exc))) from None


def _schema_problems(
    model: type[BaseModel], data: Any, locate: Locate, exc: pydantic.ValidationError
) -> Iterator[Problem]:
    # A union reports one error per branch at the same place: describe them
    # together, as one mistake.
    grouped: dict[Path_, list[ErrorDetails]] = {}
    for error in exc.errors():
        grouped.setdefault(_data_path(data, error["loc"], error["type"]), []).append(error)
    for path, errors in grouped.items():
        yield Problem(locate(path), f"{format_path(path)}: {describe(model, errors, path)}")


def _data_path(data: Any, loc: tuple[Any, ...], kind: str) -> Path_:
    """The part of pydantic's ``loc`` that names places in the data; drops
    the names of union branches and validators that pydantic adds."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if _has(current, part):
            current = current[part]
        elif kind == "missing" and isinstance(current, dict) and isinstance(part, str):
            path.append(part)
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and part < len(container)


__all__ = ["Loaded", "format_path", "load_case_data"]
