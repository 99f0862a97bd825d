"""What a document may weigh before it is refused: every file read here is untrusted."""

MAX_FILE_BYTES = 100 * 1024 * 1024  # a 100 MB PDF is a scanned book, not a receipt
MAX_IMAGE_BYTES = 40 * 1024 * 1024
MAX_JSON_BYTES = 50 * 1024 * 1024  # a patient-access download of several years of claims
MAX_PAGES = 100  # pages read from one PDF; the rest is named in a problem
MAX_OCR_PAGES = 20  # pages read by OCR (a few seconds each)
MAX_IMAGE_PIXELS = 60_000_000  # about a 9,000 x 6,700 photo; beyond that a decompression bomb
MAX_PAGE_POINTS = 5 * 72 * 17  # a page larger than 85 inches a side is not a paper document
MAX_WORDS_PER_PAGE = 20_000
MAX_FHIR_RESOURCES = 20_000
