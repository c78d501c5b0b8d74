"""Bulk import of needs and outputs from the bureau's spreadsheets (批量导入), with templates."""
