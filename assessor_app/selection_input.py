"""Read a selection file (one unit per line) and resolve each line to a unit.

Problems are reported naming the file and line, with the closest titles, so a
tutor can correct the file without guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from assessor_app.domain.catalogue import Qualification, Unit
from assessor_app.domain.unit_matching import SelectionLine, UnitIndex, parse_selection_text

MAX_FILE_BYTES = 1_000_000


class SelectionInputError(Exception):
    """A selection file that cannot be used as it is, and why."""

    def __init__(self, message: str, problems: list[dict[str, object]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class ResolvedSelection:
    refs: list[str]  # in file order, duplicates kept so they can be reported
    names: dict[str, str]  # titles for units of other qualifications
    lines: list[tuple[SelectionLine, str]]


def read_text_file(path: Path) -> str:
    """The file's text (UTF-8, with or without BOM, any line endings) or a clear error."""
    label = str(path)
    try:
        if path.is_dir():
            raise SelectionInputError(f"{label} is a folder; give the path of a text file.")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SelectionInputError(
                f"{label} is {size:,} bytes; a selection file lists units one per line and "
                "should be far smaller. Check that this is the right file."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SelectionInputError(f"{label} does not exist; check the path.") from None
    except PermissionError:
        raise SelectionInputError(f"{label} cannot be read: permission denied.") from None
    except OSError as exc:
        raise SelectionInputError(f"{label} cannot be read: {exc.strerror or exc}.") from None
    if b"\x00" in data:
        raise SelectionInputError(
            f"{label} is not a text file; save the list of units as plain text (UTF-8)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SelectionInputError(
            f"{label} line {line}: the text is not UTF-8; save the file as UTF-8 text "
            "and try again."
        ) from None


def resolve_selection(
    label: str, text: str, qual: Qualification, others: list[tuple[str, Unit]]
) -> ResolvedSelection:
    """Each line's unit; units of other qualifications get a code-qualified ref."""
    foreign = [replace(u, ref=f"{code}/{u.ref}") for code, u in others]
    index = UnitIndex(qual.units, foreign)
    refs: list[str] = []
    names: dict[str, str] = {}
    lines: list[tuple[SelectionLine, str]] = []
    problems: list[dict[str, object]] = []
    messages: list[str] = []
    for entry in parse_selection_text(text):
        match = index.match(entry)
        if match.unit is None:
            closest = [f"'{u.title}' ({u.ref})" for u in match.closest]
            hint = f" Closest titles: {', '.join(closest)}." if closest else ""
            messages.append(
                f"{label} line {entry.number}: '{entry.text}' is not a unit of the "
                f"{qual.title}.{hint}"
            )
            problems.append(
                {
                    "line": entry.number,
                    "text": entry.text,
                    "closest": [{"ref": u.ref, "title": u.title} for u in match.closest],
                }
            )
            continue
        refs.append(match.unit.ref)
        lines.append((entry, match.unit.ref))
        if not match.in_qualification:
            names[match.unit.ref] = match.unit.title
    if messages:
        messages.append(
            "Write each unit's title as the catalogue has it (case and punctuation do not "
            "matter) or its reference, such as B4."
        )
        raise SelectionInputError("\n".join(messages), problems)
    return ResolvedSelection(refs, names, lines)
