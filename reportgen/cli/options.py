"""Options that several commands share, defined once so they read and
behave the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..writers import formats

data_option = click.option(
    "-d",
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="Case data YAML file. [default: the built-in Shanghai data]",
)

templates_option = click.option(
    "-t",
    "--templates",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder whose templates override the built-in ones.",
)

audience_option = click.option(
    "-a",
    "--audience",
    default="policymakers",
    show_default=True,
    help="Audience profile to render (see templates/audiences/).",
)

lang_option = click.option(
    "-l", "--lang", default="en", show_default=True, help="Language of the brief: en or zh."
)


def formats_option(default: str) -> Callable[[Any], Any]:
    """``-f/--format``, repeatable, from the format registry; 'all' is
    every format the registry puts in it."""
    everything = " and ".join(formats.ALL)
    return click.option(
        "-f",
        "--format",
        "formats",
        multiple=True,
        type=click.Choice((*formats.NAMES, "all")),
        help=f"Output format; repeat for several. 'all' is {everything}. [default: {default}]",
    )
