"""Source notes cite authors by family name, never by a given name."""

from __future__ import annotations

import pytest

from reportgen.data.schema import Author
from reportgen.templating.citations import family_name


def author(name: str | dict[str, str], family: str | None = None) -> Author:
    return Author.model_validate({"name": name, "family": family, "affiliation": "An institute"})


@pytest.mark.parametrize(
    ("name", "family", "cited"),
    [
        ("Mira Okafor", None, "Okafor"),  # a Western name: its last word
        ("Ada", None, "Ada"),  # one word: itself
        ("刘博洋", None, "刘"),  # a Chinese name: its first character
        ("欧阳修", None, "欧阳"),  # a compound family name: both characters
        ("Liu Boyang", "Liu", "Liu"),  # romanised, family first: the data says so
        ("Maria de la Cruz", "de la Cruz", "de la Cruz"),
    ],
)
def test_the_family_name_comes_from_the_data_or_the_shape_of_the_name(
    name: str, family: str | None, cited: str
) -> None:
    assert family_name(author(name, family), "en") == cited


def test_a_chinese_brief_cites_the_chinese_family_name_when_the_data_has_one() -> None:
    liu = Author.model_validate(
        {
            "name": {"en": "Liu Boyang", "zh": "刘博洋"},
            "family": {"en": "Liu", "zh": "刘"},
            "affiliation": "Fudan University",
        }
    )
    assert (family_name(liu, "en"), family_name(liu, "zh")) == ("Liu", "刘")
    # without 'family', the Chinese name alone still gives the family name
    assert family_name(author({"en": "Liu Boyang", "zh": "刘博洋"}), "zh") == "刘"


def test_the_chinese_reference_follows_gbt_7714_for_a_journal_article() -> None:
    from reportgen.data.validate import load_case_data
    from reportgen.files import resources
    from reportgen.templating.citations import Citations

    data = load_case_data(resources.default_data())
    entry = str(Citations(data, "zh").entry(data.sources[0]))
    # 作者. 题名[J]. 刊名, 年(期).  with romanised names as FAMILY Given
    assert entry.startswith("LIU Boyang, JIANG Hai. 精品网剧")
    assert "\\[J\\]. 上海宣传通讯, 2025(2)." in entry
