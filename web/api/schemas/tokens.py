"""API tokens."""
from marshmallow import Schema, fields, validate


class TokenSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True, metadata={"description": "whose token it is"})
    name = fields.String(required=True, metadata={"description": "what the token is for"})
    created_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(allow_none=True)
    last_used_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "when it last authenticated a request (recorded at most once a minute)"})
    revoked_at = fields.AwareDateTime(allow_none=True)
    state = fields.String(required=True, validate=validate.OneOf(["active", "expired", "revoked"]))


class TokenListSchema(Schema):
    tokens = fields.List(fields.Nested(TokenSchema), required=True)


class TokenRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100),
                         metadata={"description": "what the token is for, e.g. 短信网关"})
    expires_in_days = fields.Integer(load_default=90, validate=validate.Range(1, 3 * 365),
                                     metadata={"description": "how many days the token lasts (default 90)"})
    username = fields.String(load_default=None, validate=validate.Length(1, 80), metadata={
        "description": "whose token (admins only; default: the caller)"})


class NewTokenSchema(TokenSchema):
    token = fields.String(required=True, metadata={
        "description": "the bearer token itself: shown only in this answer, only its hash is kept"})
