# Spanish dates as US districts write them to families: day before month, 24-hour times, month names.
DATE_FORMAT = r"j \d\e F \d\e Y"  # 1 de diciembre de 2026
SHORT_DATE_FORMAT = "j b Y"  # 1 dic 2026
MONTH_DAY_FORMAT = "j b"  # 1 dic
YEAR_MONTH_FORMAT = r"F \d\e Y"  # diciembre de 2026
TIME_FORMAT = "H:i"  # 15:30
SHORT_DATETIME_FORMAT = "j b, H:i"  # 1 dic, 15:30
DATETIME_FORMAT = "j b Y, H:i"  # 1 dic 2026, 15:30
DECIMAL_SEPARATOR = "."  # Mexican and US Spanish write 1,234.5
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
