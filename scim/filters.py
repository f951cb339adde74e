"""SCIM filters (RFC 7644 §3.4.2.2) and sortBy, onto ``ScimUser`` querysets.

scim2-filter-parser parses the expression and builds the Django ``Q``; this module maps SCIM attributes to
fields, refuses attributes it cannot filter on (the parser would silently drop them, widening the result),
and makes ``pr`` mean "has a non-empty value" for text fields.

``emails`` is multi-valued: a condition on it holds when it holds for one of the user's addresses
(``ScimEmail`` rows), and the conditions of a value path such as ``emails[type eq "work" and value co
"@example.com"]`` must all hold for the same address. ``emails[type eq "work"].value eq "x"`` (the shape
Entra ID uses in PATCH paths) means ``emails[type eq "work" and value eq "x"]``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from scim2_filter_parser import ast as scim_ast
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser
from scim2_filter_parser.transpilers.django_q_object import Transpiler

from .models import ScimEmail
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
    # Sorting by emails sorts by the sign-in address; filters select on every address (see EMAIL_FIELDS).
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
# The sub-attributes of emails, as ScimEmail fields (``emails`` alone means its value).
EMAIL_FIELDS = {None: "value", "value": "value", "type": "type", "primary": "primary"}
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


def _is_core(uri: str | None) -> bool:
    return (uri or CORE_USER).rstrip(":").lower() == CORE_USER.lower()


def _any_email(query: Q) -> Q:
    """Users with at least one address for which ``query`` (on ``ScimEmail``) holds."""
    return Q(pk__in=ScimEmail.objects.filter(query).values("scim_user_id"))


def _email_field(sub_attr: str | None) -> str:
    field = EMAIL_FIELDS.get(sub_attr.lower() if sub_attr else None)
    if field is None:
        raise FilterError(f"emails has no sub-attribute '{sub_attr}'; use value, type or primary.")
    return field


def _compare(field: str, op: str, comp_value: Any, transpiler: Transpiler) -> Q:
    """``field op value`` on a ``ScimEmail`` field, case-insensitive for text."""
    value = transpiler.visit(comp_value) if comp_value else None
    if field == "primary":
        if op == "pr":
            return ~Q(pk__in=[])
        if op not in ("eq", "ne") or not isinstance(value, bool):
            raise FilterError("emails.primary is compared with eq or ne and true or false.")
        return Q(primary=value) if op == "eq" else ~Q(primary=value)
    if op == "pr":
        return ~Q(**{field: ""})
    if value is None:
        if op not in ("eq", "ne"):
            raise FilterError(f"'{op}' cannot compare with null.")
        return Q(**{field: ""}) if op == "eq" else ~Q(**{field: ""})
    if isinstance(value, bool):
        raise FilterError(f"emails.{field} is text; compare it with a string.")
    query = Q(**{f"{field}__{transpiler.lookup_op(op, value)}": value})
    return ~query if op == "ne" else query


class _EmailTranspiler(Transpiler):
    """The conditions inside ``emails[...]``, on one address (a ``ScimEmail``)."""

    def visit_Filter(self, node: Any) -> Q:
        if node.namespace is not None:
            raise FilterError("A value path cannot be nested in another one.")
        query = self.visit(node.expr)
        return ~query if node.negated else query

    def visit_AttrExpr(self, node: Any) -> Q:
        path = node.attr_path
        if isinstance(path.attr_name, scim_ast.Filter) or path.sub_attr or not _is_core(path.uri):
            raise FilterError("Inside emails[...], compare value, type or primary.")
        return _compare(_email_field(path.attr_name), node.value.lower(), node.comp_value, self)


class _Transpiler(Transpiler):
    def visit_Filter(self, node: Any) -> Q:
        if node.namespace is None:
            query = self.visit(node.expr)
        else:  # a value path: attr[filter]
            query = _any_email(self._value_filter(node.namespace, node.expr))
        return ~query if node.negated else query

    @staticmethod
    def _value_filter(namespace: Any, expr: Any) -> Q:
        if namespace.attr_name.lower() != "emails" or not _is_core(namespace.uri):
            raise FilterError(f"Value filters ([...]) apply to emails only, not to '{namespace.attr_name}'.")
        query: Q = _EmailTranspiler({}).visit(expr)
        return query

    def visit_AttrPath(self, node: Any) -> str:
        sub_attr = node.sub_attr.value if node.sub_attr else None
        return lookup_for(node.attr_name, sub_attr, node.uri)

    def visit_AttrExpr(self, node: Any) -> Q:
        path = node.attr_path
        op = node.value.lower()
        if isinstance(path.attr_name, scim_ast.Filter):
            # emails[type eq "work"].value eq "x": one address matches both the filter and the comparison.
            value_path = path.attr_name
            namespace = value_path.namespace
            query = self._value_filter(namespace, value_path.expr)
            if value_path.negated:
                query = ~query
            field = _email_field(namespace.sub_attr.value if namespace.sub_attr else None)
            return _any_email(query & _compare(field, op, node.comp_value, self))
        if path.attr_name.lower() == "emails" and _is_core(path.uri):
            field = _email_field(path.sub_attr.value if path.sub_attr else None)
            if op == "ne":  # no address equal to the value
                return ~_any_email(_compare(field, "eq", node.comp_value, self))
            return _any_email(_compare(field, op, node.comp_value, self))
        field = self.visit(path)
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
