"""Property tests of the wording check (issue 10): any text is checked without a crash, every
finding's line and column point at the text it quotes, and a wrong form stays found whatever
text surrounds it. Derandomized, bounded examples."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from saohei.reports.wording import check_text, split_lines, to_traditional

bounded = settings(max_examples=150, deadline=None, derandomize=True, database=None)
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]))
# Surroundings that hold no campaign term nor part of one: letters, digits, punctuation,
# line ends, and common characters.
NEUTRAL = st.text(
    alphabet="的了在是我有这个们到说和你地也时年月日天工作会议要求"
    " \n\r\t,.;:!?，。；：！？（）“”0123456789abcXYZ"
)
WRONG_FORMS = [
    "打黑除恶",
    "反黑除恶",
    "除黑扫恶",
    "扫黑灭恶",
    "扫黑除饿",
    "扫嘿除恶",
    "除恶扫黑",
    "村两委",
]


def _points_at_what_it_quotes(text, finding):
    if not finding.wrong:
        return
    line = split_lines(text)[finding.line - 1]
    start = finding.column - 1
    assert line[start : start + len(finding.wrong)] == finding.wrong, (line, finding)


@bounded
@given(ANY_TEXT)
def test_any_text_is_checked_and_findings_point_at_their_text(text):
    for publicity in (None, True, False):
        for finding in check_text(text, publicity=publicity):
            _points_at_what_it_quotes(text, finding)
            # Line 0 only for a missing channel in a text with no line (docs/wording-check.md).
            assert finding.line >= 1 or (finding.kind == "missing_contact" and not text.strip())


@bounded
@given(NEUTRAL, st.sampled_from(WRONG_FORMS), NEUTRAL, st.booleans())
def test_a_wrong_form_stays_found_whatever_surrounds_it(before, wrong, after, traditional):
    if traditional:
        wrong = to_traditional(wrong)
    text = before + wrong + after
    findings = check_text(text, publicity=False)
    found = [
        f for f in findings if re.sub(r"\s", "", f.wrong) and re.sub(r"\s", "", f.wrong) in wrong
    ]
    assert found, (text, findings)
    for finding in findings:
        _points_at_what_it_quotes(text, finding)
    line = before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    assert any(f.line == line for f in found), (text, found)
