"""The transfer letter (移送函) that goes with a transfer on paper, signed and stamped by the
sending unit (DESIGN §8), in the official letter layout of saohei.core.officialdoc.

It says what is transferred, why, and by when the receiving unit signs for it and answers.
It never names the informant: the receiving unit reads the clue itself in the platform,
where the informant's identity is shown only to those allowed to see it.
"""

from __future__ import annotations

import re

from saohei.core import officialdoc
from saohei.core.dates import cn_date

from .choices import TransferKind

# Handling marking for umbrella and corruption matters (DESIGN §4: read only by the two
# units and the office head).
RESTRICTED_MARKING = "内部资料  注意保密"


def transfer_letter(transfer, fh) -> None:
    """Write the letter for `transfer` as a .docx to the binary file `fh`."""
    title = "案件移送函" if transfer.case_id else "线索移送函"
    doc = officialdoc.new_document(title=title, author=transfer.from_unit.name)
    if transfer.kind == TransferKind.UMBRELLA:
        officialdoc.marking(doc, RESTRICTED_MARKING)
    officialdoc.document_number(doc, document_number(transfer))
    officialdoc.blank(doc, 2)
    officialdoc.title(doc, title)
    officialdoc.blank(doc)
    officialdoc.addressee(doc, transfer.to_unit.name)
    for text in body_paragraphs(transfer):
        officialdoc.body(doc, text)
    names = [attachment_title(a.name) for a in transfer.attachments.order_by("pk")]
    officialdoc.attachments(doc, names)
    officialdoc.signature(doc, transfer.from_unit.name, cn_date(transfer.sent_at))
    officialdoc.note(doc, contact_line(transfer.sent_by))
    doc.save(fh)


def letter_filename(transfer) -> str:
    return f"{transfer.number}移送函.docx"


def document_number(transfer) -> str:
    """发文字号: the sending unit's short name, 移, the year and the sequence of the transfer
    number: YS2019-0003 from 区扫黑办 is 区扫黑办移〔2019〕3号."""
    issuer = transfer.from_unit.short_name or transfer.from_unit.name
    match = re.fullmatch(r"[A-Z]*(\d{4})-0*(\d+)", transfer.number)
    if match:
        year, seq = match.groups()
    else:  # not one of ours: keep it whole
        year, seq = str(transfer.sent_at.year), transfer.number
    return f"{issuer}移〔{year}〕{seq}号"


def body_paragraphs(transfer) -> list[str]:
    if transfer.case_id:
        case = transfer.case
        what = f"现将{case.name}（案件编号：{case.number}）移送你单位。"
    else:
        clue = transfer.clue
        what = (
            f"现将线索一件（线索编号：{clue.number}）移送你单位。"
            f"线索主要内容：{_sentence(clue.summary)}"
        )
    reasons = [line.strip() for line in transfer.reason.splitlines() if line.strip()]
    paragraphs = [what]
    for i, line in enumerate(reasons):
        paragraphs.append(_sentence(f"移送事由：{line}" if i == 0 else line))
    paragraphs.append(
        f"请于{cn_date(transfer.acknowledge_due)}前签收，"
        f"{cn_date(transfer.answer_due)}前将办理情况反馈我单位。"
    )
    paragraphs.append("特此函告。")
    return paragraphs


def attachment_title(filename: str) -> str:
    """An attachment as the letter lists it: without the file extension, without final
    punctuation (GB/T 9704: 附件名称后不加标点符号)."""
    name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename.strip())
    return name.rstrip("。.，,；;") or filename


def contact_line(user) -> str:
    parts = [f"联系人：{user.get_full_name()}"]
    if user.phone:
        parts.append(f"联系电话：{user.phone}")
    return "，".join(parts)


def _sentence(text: str) -> str:
    """`text` as a sentence ending with a full stop (or its own ！/？)."""
    text = text.strip().rstrip("，,；;、：:。. ")
    return text if text.endswith(("！", "？", "!", "?")) else f"{text}。"
