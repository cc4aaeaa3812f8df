"""Options that several commands share, defined once so they read and
behave the same everywhere."""

from __future__ import annotations

from pathlib import Path

import click

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
