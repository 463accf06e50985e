from __future__ import annotations

from django.db import models


class District(models.Model):
    """The district this installation serves: one row, made on the first-run page (district/setup.py)."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
