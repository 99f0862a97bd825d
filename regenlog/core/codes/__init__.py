"""Diagnosis codes (ICD-10-CM), procedure codes (CPT/HCPCS) and provider identifiers.

Pure Python, no Qt. Importing this package reads no file: the ICD-10-CM index is loaded on
the first lookup, check or search.
"""

from regenlog.core.codes.icd10 import (
    CODE_SET_EFFECTIVE,
    CODE_SET_RELEASE,
    CODE_SET_VERSION,
    NEXT_CODE_SET_EFFECTIVE,
    CodeCheck,
    CodeInfo,
    check_icd10,
    lookup,
    normalize_icd10,
    search,
    warm_up,
)
from regenlog.core.codes.icd10_search import code_like
from regenlog.core.codes.identifiers import (
    check_ein,
    check_npi,
    check_place_of_service,
    check_tax_id,
    make_npi,
    mask_tax_id,
)
from regenlog.core.codes.procedures import (
    check_modifiers,
    check_pointers,
    check_procedure_code,
    procedure_code_kind,
)

__all__ = [
    "CODE_SET_EFFECTIVE",
    "CODE_SET_RELEASE",
    "CODE_SET_VERSION",
    "NEXT_CODE_SET_EFFECTIVE",
    "CodeCheck",
    "CodeInfo",
    "check_ein",
    "code_like",
    "check_icd10",
    "check_modifiers",
    "check_npi",
    "check_place_of_service",
    "check_tax_id",
    "check_pointers",
    "check_procedure_code",
    "lookup",
    "make_npi",
    "mask_tax_id",
    "normalize_icd10",
    "procedure_code_kind",
    "search",
    "warm_up",
]
