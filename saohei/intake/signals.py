"""The clue app knows nothing of the portal: when a clue's conclusion is recorded (a Move to
查结), the feedback is written for its reporters here, in the same transaction."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from saohei.clues.choices import Status
from saohei.clues.models import Move


@receiver(post_save, sender=Move, dispatch_uid="intake.conclusion_feedback")
def conclusion_feedback(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.to_status != Status.CONCLUDED:
        return
    from .services import conclusion_feedback as write

    write(instance.clue_id, actor=instance.actor)
