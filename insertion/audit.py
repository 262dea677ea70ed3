"""The access log: who read confidential content, exported or printed something about a person, and when.

CNIL référentiel 2021-028 (social accompaniment) asks for a trace of these reads, kept for a limited time: twelve
months here, after which `purge_access_log` (also run by `apply_retention`) deletes the entries.
"""

import datetime

from django.utils import timezone

from insertion.models import AccessLog

ACCESS_LOG_RETENTION = datetime.timedelta(days=365)


def access_log_record(request, *, action, beneficiary_id=None, obj=None, object_type=""):
    """Write one entry: the member, the organisation, the person's number and the object's type and number.

    Never the content: only numbers and a model name reach the log.
    """
    if obj is not None:
        object_type = obj._meta.label
    return AccessLog.objects.create(
        organisation=request.organisation,
        user=request.user if request.user.is_authenticated else None,
        action=action,
        beneficiary_id=beneficiary_id,
        object_type=object_type,
        object_id=obj.pk if obj is not None else None,
    )


def access_log_purge(now=None):
    """Delete the entries older than twelve months; returns how many were deleted."""
    cutoff = (now or timezone.now()) - ACCESS_LOG_RETENTION
    deleted, _by_model = AccessLog.objects.older_than(cutoff).delete()
    return deleted
