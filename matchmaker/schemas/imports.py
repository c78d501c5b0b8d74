"""Schemas of the bulk import (批量导入): the upload, its options and the report."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from matchmaker.schemas.common import StrictSchema


class ImportQuery(StrictSchema):
    """dry_run checks without writing; publish=false puts imported rows in the review queue instead."""

    dry_run = fields.Boolean(load_default=False)
    publish = fields.Boolean(load_default=True)


class ImportFile(Schema):
    """The multipart upload: an .xlsx or .csv file under `file`."""

    file = Upload(required=True)


class RowError(Schema):
    """One problem: spreadsheet row number, column header and what is wrong (Chinese)."""

    row = fields.Integer()
    column = fields.String()
    message = fields.String()


class ImportReport(Schema):
    """Counts, every row's problems, and where to download the rejected rows."""

    kind = fields.String()
    message = fields.String(metadata={"description": "结果摘要：有问题的行存在时整个文件不导入"})
    dry_run = fields.Boolean()
    total_rows = fields.Integer()
    valid = fields.Integer(metadata={"description": "可导入（或已导入）的新行"})
    created = fields.Integer()
    duplicates = fields.Integer(metadata={"description": "此前已导入、本次跳过的行"})
    rejected = fields.Integer(metadata={"description": "有问题的行；大于 0 时本次没有创建任何一行"})
    errors = fields.List(fields.Nested(RowError))
    rejected_file_id = fields.String(allow_none=True)
    rejected_file_url = fields.String(allow_none=True)
