"""SCIM filters (RFC 7644 §3.4.2.2) and sortBy, onto ``ScimUser`` querysets.

scim2-filter-parser parses the expression and builds the Django ``Q``; this module maps SCIM attributes to
fields, refuses attributes it cannot filter on (the parser would silently drop them, widening the result),
and makes ``pr`` mean "has a non-empty value" for text fields.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from scim2_filter_parser import ast as scim_ast
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser
from scim2_filter_parser.transpilers.django_q_object import Transpiler

from .schemas import CORE_USER, ENTERPRISE_USER, MENTORING_USER

MAX_FILTER_LENGTH = 2000

# (attribute, sub-attribute, schema) -> ScimUser lookup; names in lower case.
ATTRIBUTES: dict[tuple[str, str | None, str], str] = {
    ("id", None, CORE_USER): "scim_id",
    ("externalid", None, CORE_USER): "external_id",
    ("username", None, CORE_USER): "user_name",
    ("displayname", None, CORE_USER): "person__full_name",
    ("name", "formatted", CORE_USER): "person__full_name",
    ("name", "givenname", CORE_USER): "given_name",
    ("name", "familyname", CORE_USER): "family_name",
    ("title", None, CORE_USER): "person__title",
    ("active", None, CORE_USER): "active",
    ("emails", None, CORE_USER): "person__email",
    ("emails", "value", CORE_USER): "person__email",
    ("meta", "created", CORE_USER): "provisioned_at",
    ("meta", "lastmodified", CORE_USER): "updated_at",
    ("employeenumber", None, ENTERPRISE_USER): "person__employee_id",
    ("department", None, ENTERPRISE_USER): "person__department__name",
    ("division", None, ENTERPRISE_USER): "person__department__division__name",
    ("manager", None, ENTERPRISE_USER): "person__manager__scim__scim_id",
    ("manager", "value", ENTERPRISE_USER): "person__manager__scim__scim_id",
    ("joblevel", None, MENTORING_USER): "person__job_level",
    ("hiredate", None, MENTORING_USER): "person__hire_date",
    ("location", None, MENTORING_USER): "person__location",
}
TEXT_FIELDS = {
    "external_id",
    "user_name",
    "person__full_name",
    "given_name",
    "family_name",
    "person__title",
    "person__email",
    "person__employee_id",
    "person__department__name",
    "person__department__division__name",
    "person__location",
}
# Not case-insensitive text: compared exactly.
EXACT_FIELDS = {"scim_id", "person__manager__scim__scim_id", "person__job_level", "person__hire_date"}


class FilterError(ValueError):
    """The filter cannot be used; the message says why (scimType invalidFilter)."""


def lookup_for(attr_name: str, sub_attr: str | None = None, uri: str | None = None) -> str:
    schema = (uri or CORE_USER).rstrip(":")
    key = (attr_name.lower(), sub_attr.lower() if sub_attr else None, schema)
    field = ATTRIBUTES.get(key)
    if field is None:
        wanted = ".".join(filter(None, (attr_name, sub_attr)))
        raise FilterError(f"Users cannot be filtered or sorted by '{wanted}'.")
    return field


class _Transpiler(Transpiler):
    def visit_AttrPath(self, node: Any) -> str:
        sub_attr = node.sub_attr.value if node.sub_attr else None
        return lookup_for(node.attr_name, sub_attr, node.uri)

    def visit_AttrExpr(self, node: Any) -> Q:
        if isinstance(node.attr_path.attr_name, scim_ast.Filter):
            return self.is_filter(node)
        field = self.visit(node.attr_path)
        op = node.value.lower()
        value = self.visit(node.comp_value) if node.comp_value else None
        if op == "pr":
            present = Q(**{f"{field}__isnull": False})
            return present & ~Q(**{field: ""}) if field in TEXT_FIELDS else present
        if value is None:
            if op not in ("eq", "ne"):
                raise FilterError(f"'{op}' cannot compare with null.")
            query = Q(**{f"{field}__isnull": True})
            if field in TEXT_FIELDS:
                query |= Q(**{field: ""})
            return ~query if op == "ne" else query
        if field not in TEXT_FIELDS and op in ("co", "sw", "ew"):
            raise FilterError(f"'{op}' applies to text attributes only.")
        if field == "active" and not isinstance(value, bool):
            raise FilterError("'active' is compared with true or false.")
        if field in EXACT_FIELDS or field == "active" or field in ("provisioned_at", "updated_at"):
            lookup = {"eq": "exact", "ne": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}.get(op)
            if lookup is None:
                raise FilterError(f"'{op}' cannot be used with this attribute.")
            if field in ("scim_id", "person__manager__scim__scim_id"):
                value = _uuid_or_none(value)
                if value is None:  # not an id: matches nothing (or everything, for ne)
                    return ~Q(pk__in=[]) if op == "ne" else Q(pk__in=[])
        else:
            lookup = self.lookup_op(op, value)
        query = Q(**{f"{field}__{lookup}": value})
        return ~query if op == "ne" else query


def _uuid_or_none(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def parse_filter(text: str) -> Q:
    """The ``Q`` of a SCIM filter expression; ``FilterError`` if it is not one this service understands."""
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterError(f"The filter is longer than {MAX_FILTER_LENGTH} characters.")
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(text))
    except FilterError:
        raise
    except Exception as error:  # the lexer and parser raise ValueError or their own errors
        raise FilterError(f"The filter is not a valid SCIM filter: {error}") from error
    if tree is None:
        raise FilterError("The filter is empty or incomplete.")
    try:
        query = _Transpiler({}).transpile(tree)
    except FilterError:
        raise
    except (ValueError, NotImplementedError, AttributeError, TypeError) as error:
        raise FilterError(f"The filter cannot be used: {error}") from error
    if query is None:
        raise FilterError("The filter selects on no attribute this service knows.")
    return query


def order_for(sort_by: str, sort_order: str) -> list[str]:
    """The ``order_by`` of sortBy/sortOrder (RFC 7644 §3.4.2.3); ascending unless "descending"."""
    path = sort_by.strip()
    uri = None
    for schema in (ENTERPRISE_USER, MENTORING_USER, CORE_USER):
        if path.lower().startswith(schema.lower() + ":"):
            uri, path = schema, path[len(schema) + 1 :]
    attr_name, _, sub_attr = path.partition(".")
    field = lookup_for(attr_name, sub_attr or None, uri)
    descending = sort_order.strip().lower() == "descending"
    return [f"-{field}" if descending else field, "pk"]
