"""Workbench pages: each module holds one page's routes and its navigation entry."""
