"""Statistics and the monthly and quarterly reports."""
from marshmallow import Schema, fields, validate

STATISTICS_RISKS = ["red", "yellow", "blue"]


class StatisticsQuerySchema(Schema):
    from_ = fields.Date(data_key="from", metadata={"description": "first day (YYYY-MM-DD, Asia/Shanghai); default "
                                                                  "the first of this month"})
    to = fields.Date(metadata={"description": "last day, included (default today)"})
    department = fields.String(validate=validate.Length(max=60), metadata={
        "description": "the case's lead department (the centre while none is named); items: the item's department. "
                       "A department head's is always their own"})
    dispute_type = fields.String(validate=validate.Length(max=60))
    channel = fields.String(validate=validate.Length(max=60), metadata={"description": "intake channel"})
    township = fields.String(validate=validate.Length(max=60), metadata={"description": "乡镇（街道） of the place"})
    risk = fields.String(validate=validate.OneOf(STATISTICS_RISKS))


class StatisticsPeriodSchema(Schema):
    from_ = fields.Date(data_key="from", required=True)
    to = fields.Date(required=True)


class ItemRowSchema(Schema):
    key = fields.String(required=True, metadata={"description": "the stage (process) id or the department id"})
    name = fields.String(required=True)
    finished = fields.Integer(required=True, metadata={"description": "items with a deadline finished in the period"})
    on_time = fields.Integer(required=True)
    on_time_rate = fields.Float(allow_none=True, metadata={"description": "per cent; null when none finished"})
    mean_days = fields.Float(allow_none=True, metadata={"description": "mean working days from created to done"})
    p90_days = fields.Float(allow_none=True, metadata={"description": "90th percentile (nearest rank) of the same"})


class RiskRowSchema(Schema):
    risk = fields.String(required=True, validate=validate.OneOf(STATISTICS_RISKS))
    cases = fields.Integer(required=True)
    amount = fields.Float(required=True, metadata={"description": "amount at stake registered, yuan"})


class TrendMonthSchema(Schema):
    month = fields.String(required=True, metadata={"description": "YYYY-MM"})
    registered = fields.Integer(required=True)
    mediated_closed = fields.Integer(required=True)
    closed_success = fields.Integer(required=True)
    success_rate = fields.Float(allow_none=True)


class StatisticsRatesSchema(Schema):
    success_rate = fields.Float(allow_none=True, metadata={"description": "closed_success ÷ mediated_closed, %"})
    fulfilment_rate = fields.Float(allow_none=True, metadata={"description": "fulfilled ÷ performance_due, %"})
    success_target = fields.Float(required=True)
    fulfilment_target = fields.Float(required=True)
    success_below_target = fields.Boolean(required=True)
    fulfilment_below_target = fields.Boolean(required=True)


class StatisticsSchema(Schema):
    period = fields.Nested(StatisticsPeriodSchema, required=True)
    filters = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                          metadata={"description": "the filters applied (a department head's department included)"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, metadata={
        "description": "registered, accepted, not_accepted, closed_success, referred (referred.litigation, "
                       "referred.arbitration, referred.administrative_review), withdrawn, mediated_closed, "
                       "agreements, confirmation_applied, confirmation_granted, performance_due, fulfilled, "
                       "enforced, risk.red, risk.yellow, risk.blue"})
    rates = fields.Nested(StatisticsRatesSchema, required=True)
    stages = fields.List(fields.Nested(ItemRowSchema), required=True)
    departments = fields.List(fields.Nested(ItemRowSchema), required=True)
    risks = fields.List(fields.Nested(RiskRowSchema), required=True)
    amount_total = fields.Float(required=True)
    trend = fields.List(fields.Nested(TrendMonthSchema), required=True,
                        metadata={"description": "the 12 months ending with the period's last month"})
    definitions = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                              metadata={"description": "how each figure is counted (Chinese)"})


class ReportSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["monthly", "quarterly"]))
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    title = fields.String(required=True)
    generated_at = fields.AwareDateTime(required=True)
    generated_by = fields.String(required=True, metadata={"description": "a username, or `system` (the scheduler)"})
    size = fields.Integer(required=True, metadata={"description": "bytes of the DOCX"})


class ReportListSchema(Schema):
    reports = fields.List(fields.Nested(ReportSchema), required=True)


class ReportRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["monthly", "quarterly"]))
    period = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$"), metadata={
        "description": "YYYY-MM for a month, YYYY-Qn for a quarter"})
