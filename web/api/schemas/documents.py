"""The documents of a case."""
from marshmallow import Schema, fields, validate

DOCUMENT_KINDS = ["acceptance_notice", "rejection_notice", "agreement", "confirmation_application",
                  "supervision_notice", "follow_up_record"]


class DocumentSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    title = fields.String(required=True, metadata={"description": "the document's name as printed (Chinese)"})
    filename = fields.String(required=True)
    number = fields.String(allow_none=True, metadata={"description": "its number, if it has one (协议编号, 督办编号)"})
    size = fields.Integer(required=True, metadata={"description": "bytes of the .docx"})
    has_pdf = fields.Boolean(required=True, metadata={
        "description": "a PDF copy exists (only where LibreOffice is installed on the server)"})
    generated_by = fields.String(required=True)
    generated_at = fields.AwareDateTime(required=True)


class DocumentListSchema(Schema):
    documents = fields.List(fields.Nested(DocumentSchema), required=True)
    available = fields.List(fields.String(validate=validate.OneOf(DOCUMENT_KINDS)), required=True, metadata={
        "description": "the kinds the caller may generate now (the case has reached them)"})


class DocumentRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS), metadata={
        "description": "acceptance_notice 受理通知书, rejection_notice 不予受理告知书, agreement 调解协议书, "
                       "confirmation_application 司法确认申请书, supervision_notice 督办通知书 (the latest notice), "
                       "follow_up_record 回访记录 (the latest visit)"})
