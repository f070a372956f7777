from django.db import models
from django.utils.translation import gettext_lazy as _


class TransferKind(models.TextChoices):
    # 涉嫌违纪违法或保护伞问题线索 → 纪委监委
    UMBRELLA = "umbrella", _("umbrella or corruption matter")
    # 涉嫌犯罪问题 → 公安机关
    CRIMINAL = "criminal", _("criminal matter")
    # 管辖移交, 行业监管问题, …
    JURISDICTION = "jurisdiction", _("matter for another unit")


class TransferStatus(models.TextChoices):
    SENT = "sent", _("awaiting acknowledgement")  # 待签收
    ACKNOWLEDGED = "acknowledged", _("acknowledged")  # 已签收
    ANSWERED = "answered", _("answered")  # 已反馈
    RETURNED = "returned", _("returned")  # 已退回


# Still waiting for the receiving unit.
OPEN_TRANSFER_STATUSES = (TransferStatus.SENT, TransferStatus.ACKNOWLEDGED)
