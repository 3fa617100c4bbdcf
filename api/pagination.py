from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 500


class StrictCursorPagination(CursorPagination):
    """Cursor pages; a page_size that is not a whole number in range is a 400
    (DRF would quietly fall back to the default size)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"A whole number from 1 to {self.max_page_size}"
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters


def cursor_pagination(ordering, page_size: int = 50) -> type[CursorPagination]:
    """Cursor pages in `ordering` (newest first for the logs)."""
    return type(
        "CursorPagination",
        (StrictCursorPagination,),
        {"ordering": ordering, "page_size": page_size},
    )
