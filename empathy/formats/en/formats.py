# The app's English date formats (Django's defaults add periods and 'p.m.'). Templates use these names,
# never a literal format, so each language reads dates its own way: see empathy/formats/es/formats.py.
DATE_FORMAT = "F j, Y"  # December 1, 2026: letters and reports
SHORT_DATE_FORMAT = "M j, Y"  # Dec 1, 2026: tables and lists
MONTH_DAY_FORMAT = "M j"  # Dec 1
YEAR_MONTH_FORMAT = "F Y"  # December 2026
TIME_FORMAT = "g:i A"  # 3:30 PM
SHORT_DATETIME_FORMAT = "M j, g:i A"  # Dec 1, 3:30 PM: this year's sessions
DATETIME_FORMAT = "M j, Y H:i"  # Dec 1, 2026 15:30: the audit log
