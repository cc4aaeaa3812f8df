"""Templating: the Jinja2 environment and its sandbox, the filters, the
template context, source notes, audience profiles, labels, compiled-template
caches and the checks that read templates."""
