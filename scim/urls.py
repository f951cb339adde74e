from django.urls import path, re_path

from . import api, views

app_name = "scim"

urlpatterns = [
    # The SCIM 2.0 service (RFC 7644), for identity providers holding a token.
    path("Users", api.users, name="users"),
    # POST /.search (RFC 7644 §3.4.3), at the root or under Users: not served (501); before Users/<id>.
    re_path(r"^(?P<path>(?:Users/)?\.search)$", api.not_served, name="search"),
    path("Users/<str:scim_id>", api.user, name="user"),
    path("ServiceProviderConfig", api.service_provider_config, name="service_provider_config"),
    path("ResourceTypes", api.resource_types, name="resource_types"),
    path("ResourceTypes/<str:name>", api.resource_type, name="resource_type"),
    path("Schemas", api.schema_list, name="schemas"),
    path("Schemas/<str:urn>", api.schema_detail, name="schema"),
    # HR admins' pages: the tokens, and what the identity provider changed.
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    # Anything else under /scim/v2/ (Groups, Bulk, Me...): a SCIM error, not the site's page. Last.
    re_path(r"^(?P<path>(?!tokens(?:/|$)).*)$", api.not_served, name="not_served"),
]
