"""The documents of a case (受理通知书, 调解协议书, 司法确认申请书, 督办通知书, 回访记录 …): generated from the
case's data as .docx (and PDF where LibreOffice is installed), kept as issued, and the whole case file
(卷宗) as one download. Templates ship built in code and may be replaced by an administrator."""
from .amounts import chinese_date, rmb_upper
from .bundle import case_file_zip
from .kinds import KINDS
from .store import CaseDocuments, DocumentFile, DocumentView, download, generate, list_documents
from .templates import TemplateView, current_template, list_templates, replace_template, revert_template

__all__ = ["KINDS", "CaseDocuments", "DocumentFile", "DocumentView", "TemplateView", "case_file_zip",
           "chinese_date", "current_template", "download", "generate", "list_documents", "list_templates",
           "replace_template", "revert_template", "rmb_upper"]
