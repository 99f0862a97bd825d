"""The "Export reimbursement bundle" wizard (File > Export reimbursement bundle…, Ctrl+E, and
the treatment page's "Export bundle…"): one patient's treatments, a destination, the gaps
that remain for it, an optional password, and the ZIP written on a worker thread."""

from .wizard import BundleWizard

__all__ = ["BundleWizard"]
