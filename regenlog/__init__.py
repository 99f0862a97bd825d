"""RegenLog: the paperwork that gets cash-paid regenerative-medicine care reimbursed."""

__version__ = "0.1.0"
