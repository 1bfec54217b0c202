"""Creator imports from the CSV and XLSX lists marketers actually have."""
