"""Schemas for auth, users and organisations: create, update and dump kept separate."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates

from matchmaker.auth.passwords import password_problems
from matchmaker.schemas.common import (
    CodeList,
    PartialSchema,
    StrictSchema,
    Text,
    field_code,
    one_of_vocab,
    region_code,
)
from matchmaker.taxonomy import validators, vocab

ROLE_CHOICES = one_of_vocab(vocab.ROLES)


def mobile(value: str) -> None:
    """A mainland mobile number."""
    if not validators.valid_mobile(value):
        raise ValidationError("手机号格式不正确（invalid mainland mobile number）")


def email(value: str) -> None:
    """An e-mail address."""
    if not validators.valid_email(value):
        raise ValidationError("邮箱格式不正确（invalid e-mail address）")


def strong_password(value: str) -> None:
    """A new password: 8+ characters, 3 of 4 character classes, not a common one (等保 2.0)."""
    problems = password_problems(value)
    if problems:
        raise ValidationError(problems)


def uscc(value: str) -> None:
    """A unified social credit code whose check character is right (GB 32100-2015)."""
    if not validators.valid_uscc(value):
        raise ValidationError("统一社会信用代码无效：校验位不符（invalid USCC check character）")


class EmailAddress(fields.String):
    """An e-mail address, loaded trimmed and lower-cased so logins and duplicate checks match."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip().lower()


class CreditCode(fields.String):
    """A unified social credit code, loaded without spaces and upper-cased (the stored form)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        return validators.normalize_uscc(super()._deserialize(value, attr, data, **kwargs))


class Qualification(StrictSchema):
    """An enterprise qualification with the year it was granted."""

    code = fields.String(required=True, validate=one_of_vocab(vocab.QUALIFICATIONS))
    year = fields.Integer(required=True, validate=validate.Range(min=1990, max=2100))


class OrganizationCreate(StrictSchema):
    """Organisation data given at registration."""

    kind = fields.String(
        required=True, validate=one_of_vocab({k: v for k, v in vocab.ORG_KINDS.items() if k != "bureau"})
    )
    name = Text(120, required=True, min_len=2)
    uscc = CreditCode(validate=uscc)
    region = fields.String(required=True, validate=region_code)
    fields_ = CodeList(field_code, data_key="fields", attribute="fields", load_default=list)
    qualifications = fields.List(
        fields.Nested(Qualification), validate=validate.Length(max=10), load_default=list
    )
    description = Text(2000)
    website = fields.Url(validate=validate.Length(max=200))


class OrganizationUpdate(PartialSchema, OrganizationCreate):
    """Partial profile update by a member."""

    class Meta(StrictSchema.Meta):
        exclude = ("kind",)


class Organization(StrictSchema):
    """Public organisation profile."""

    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    uscc = fields.String()
    region = fields.String()
    region_name = fields.Method("get_region_name")
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    qualifications = fields.List(fields.Dict())
    description = fields.String()
    website = fields.String()
    verified = fields.Boolean()
    created_at = fields.DateTime()

    def get_region_name(self, obj) -> str:
        """Full Chinese region name."""
        from matchmaker.taxonomy import regions

        return regions.full_name(obj.region)


class Register(StrictSchema):
    """Self-registration of a user with a new organisation."""

    name = Text(50, required=True)
    email = EmailAddress(required=True, validate=[validate.Length(max=254), email])
    phone = fields.String(validate=mobile)
    password = fields.String(required=True, load_only=True, validate=strong_password)
    roles = fields.List(
        fields.String(validate=ROLE_CHOICES), required=True, validate=validate.Length(min=1, max=3)
    )
    title = Text(50)
    organization = fields.Nested(OrganizationCreate, required=True)
    consents = fields.List(
        fields.String(validate=validate.OneOf(["email", "sms"], error="取值应为 email 或 sms")),
        load_default=list,
        metadata={"description": "用户勾选同意接收的通知渠道（邮件、短信），记录时间与来源"},
    )


class Login(StrictSchema):
    """E-mail or mobile number plus password."""

    login = Text(254, required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=128))


class PasswordChange(StrictSchema):
    """The current password and a new one."""

    old_password = fields.String(required=True, load_only=True, validate=validate.Length(max=128))
    new_password = fields.String(required=True, load_only=True, validate=strong_password)


class PasswordResetRequest(StrictSchema):
    """The e-mail or mobile number of the account (the code goes there)."""

    login = Text(254, required=True)


class PasswordResetConfirm(PasswordResetRequest):
    """The code received and the new password."""

    code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$", error="验证码为 6 位数字"))
    new_password = fields.String(required=True, load_only=True, validate=strong_password)


class User(StrictSchema):
    """A user as the user or an admin sees it."""

    id = fields.Integer()
    org_id = fields.Integer(allow_none=True)
    name = fields.String()
    email = fields.String()
    phone = fields.String()
    roles = fields.List(fields.String())
    region_scope = fields.String(allow_none=True)
    title = fields.String()
    is_active = fields.Boolean()
    created_at = fields.DateTime()
    last_login_at = fields.DateTime()
    organization = fields.Nested(Organization, attribute="org", allow_none=True)


class Token(StrictSchema):
    """A freshly issued bearer token (shown once)."""

    token = fields.String()
    token_type = fields.String()
    expires_at = fields.DateTime()
    user = fields.Nested(User)


class UserCreate(StrictSchema):
    """Admin creates a user of any role."""

    name = Text(50, required=True)
    email = EmailAddress(required=True, validate=[validate.Length(max=254), email])
    phone = fields.String(validate=mobile)
    password = fields.String(required=True, load_only=True, validate=strong_password)
    roles = fields.List(
        fields.String(validate=ROLE_CHOICES), required=True, validate=validate.Length(min=1, max=5)
    )
    org_id = fields.Integer(allow_none=True)
    region_scope = fields.String(allow_none=True, validate=region_code)
    title = Text(50)

    @validates("roles")
    def _no_duplicates(self, value: list[str], **_: object) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("角色重复（duplicate roles）")


class UserUpdate(StrictSchema):
    """Admin changes roles, scope, activity or name."""

    name = Text(50)
    roles = fields.List(fields.String(validate=ROLE_CHOICES), validate=validate.Length(min=1, max=5))
    region_scope = fields.String(allow_none=True, validate=region_code)
    is_active = fields.Boolean()
    title = Text(50)


class UserQuery(StrictSchema):
    """Filters for the admin user list."""

    role = fields.String(validate=ROLE_CHOICES)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class OrgQuery(StrictSchema):
    """Filters for the organisation directory."""

    kind = fields.String(validate=one_of_vocab(vocab.ORG_KINDS))
    region = fields.String(validate=region_code)
    q = Text(50)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PageQuery(StrictSchema):
    """One page of a list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ExpertAppointment(StrictSchema):
    """Staff appoint (true) or withdraw (false) an expert reviewer."""

    appointed = fields.Boolean(load_default=True)


class Verify(StrictSchema):
    """Staff verification decision."""

    verified = fields.Boolean(load_default=True)
