"""`{% console_dashboard %}`: the staff dashboard on the admin index."""

from django import template

from console.dashboard import dashboard_build

register = template.Library()


@register.inclusion_tag("console/dashboard.html", takes_context=True)
def console_dashboard(context: template.Context) -> dict:
    return {"dashboard": dashboard_build(user=context["request"].user)}
