"""Input schemas of the workflow actions."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator


@tk.validator_args
def submit(not_empty: Validator, ignore_missing: Validator, boolean_validator: Validator,
           unicode_safe: Validator, default: Any) -> Schema:
    return {"id": [not_empty, unicode_safe],
            "accept_terms": [default(False), boolean_validator],
            "comment": [default(""), unicode_safe]}


@tk.validator_args
def review(not_empty: Validator, unicode_safe: Validator, one_of: Any,
           default: Any) -> Schema:
    return {"id": [not_empty, unicode_safe],
            "decision": [not_empty, one_of(["approve", "return", "reject"])],
            "comment": [default(""), unicode_safe]}


@tk.validator_args
def withdraw(not_empty: Validator, unicode_safe: Validator, default: Any) -> Schema:
    return {"id": [not_empty, unicode_safe],
            "comment": [default(""), unicode_safe]}


@tk.validator_args
def membership_request(not_empty: Validator, unicode_safe: Validator,
                       default: Any) -> Schema:
    return {"organization": [not_empty, unicode_safe],
            "message": [default(""), unicode_safe]}


@tk.validator_args
def membership_decision(not_empty: Validator, unicode_safe: Validator, one_of: Any,
                        default: Any) -> Schema:
    return {"id": [not_empty, unicode_safe],
            "decision": [not_empty, one_of(["approve", "reject"])],
            "capacity": [default("editor"), one_of(["editor", "member"])]}
