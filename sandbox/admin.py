from django.contrib import admin

from .faults import faults_reset
from .models import FaultConfig


class ReadOnlyAdmin(admin.ModelAdmin):
    """Sandbox tables are written by the sandbox APIs only; admin just shows them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FaultConfig)
class FaultConfigAdmin(ReadOnlyAdmin):
    list_display = ["sandbox", "settings", "updated_at"]
    readonly_fields = ["sandbox", "settings", "updated_at"]
    actions = ["reset_faults"]

    # Changes go through `<root>/_control`, which validates them; here only reset.
    @admin.action(description="Reset faults to defaults", permissions=["view"])
    def reset_faults(self, request, queryset) -> None:
        names = list(queryset.values_list("sandbox", flat=True))
        for name in names:
            faults_reset(name)
        self.message_user(request, f"Reset faults of {len(names)} sandbox(es).")
