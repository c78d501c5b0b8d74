"""Schemas of notification settings, consents, the inbox, the delivery log and verification codes."""

from __future__ import annotations

from marshmallow import fields, validate

from matchmaker.models.notifications import CHANNELS, CONSENT_PURPOSES, DELIVERY_STATUSES
from matchmaker.notifications.causes.registry import KINDS
from matchmaker.schemas.common import PageQuery, PageSchema, StrictSchema, page_of


class Preference(StrictSchema):
    """One kind of message on one channel."""

    kind = fields.String(required=True, validate=validate.OneOf(list(KINDS)))
    label = fields.String(dump_only=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    enabled = fields.Boolean(required=True)


class PreferencesUpdate(StrictSchema):
    """Preferences to change."""

    preferences = fields.List(
        fields.Nested(Preference), required=True, validate=validate.Length(min=1, max=50)
    )


class Settings(StrictSchema):
    """Everything a user has chosen about notifications."""

    preferences = fields.List(fields.Nested(Preference))
    consents = fields.Dict(keys=fields.String(), values=fields.Boolean(allow_none=True))
    personalised = fields.Boolean()


class ConsentCreate(StrictSchema):
    """A consent given or withdrawn; `personalised` false opts out of personalised recommendations."""

    purpose = fields.String(required=True, validate=validate.OneOf(CONSENT_PURPOSES))
    granted = fields.Boolean(required=True)
    source = fields.String(load_default="settings", validate=validate.Length(min=1, max=40))


class UnsubscribeQuery(StrictSchema):
    """The signed token of a one-click unsubscribe link (extra form fields of RFC 8058 are ignored)."""

    class Meta:
        """Mail clients may add their own query fields."""

        unknown = "exclude"

    token = fields.String(required=True, validate=validate.Length(min=10, max=500))


class InboxQuery(PageQuery):
    """Inbox filters."""

    unread = fields.Boolean(load_default=False)


class InboxMessage(StrictSchema):
    """A message in the inbox (站内信)."""

    id = fields.Integer()
    cause = fields.String()
    title = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class InboxPage(PageSchema):
    """A page of the inbox with the unread count."""

    items = fields.List(fields.Nested(InboxMessage))
    unread = fields.Integer()


class Count(StrictSchema):
    """A number of messages."""

    count = fields.Integer()


class DeliveryQuery(PageQuery):
    """Delivery log filters."""

    status = fields.String(validate=validate.OneOf(DELIVERY_STATUSES))
    cause = fields.String(validate=validate.Length(max=40))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    user_id = fields.Integer()


class Delivery(StrictSchema):
    """One row of the delivery log (no message content: it may hold codes and personal data)."""

    id = fields.Integer()
    cause = fields.String()
    object_ref = fields.String()
    channel = fields.String()
    user_id = fields.Integer()
    region = fields.String(allow_none=True)
    status = fields.String()
    rule = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    attempts = fields.Integer()
    provider = fields.String(allow_none=True)
    provider_id = fields.String(allow_none=True)
    not_before = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


DeliveryPage = page_of(Delivery, "DeliveryPage")


class VerifySend(StrictSchema):
    """Where to send a one-time code: a new phone or e-mail of the signed-in user."""

    channel = fields.String(required=True, validate=validate.OneOf(["phone", "email"]))
    target = fields.String(required=True, validate=validate.Length(min=3, max=254))


class VerifyConfirm(VerifySend):
    """The code received."""

    code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$", error="验证码为 6 位数字"))


class VerifySent(StrictSchema):
    """A code was sent."""

    message = fields.String()
    expires_at = fields.DateTime()
