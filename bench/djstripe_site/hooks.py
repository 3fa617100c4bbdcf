"""The deferred mode's webhook callback."""


def webhook_event_defer(trigger, api_key):
    """Accept the verified trigger as stored; a shop would enqueue it here.

    Enqueuing nothing makes this mode a lower bound of dj-stripe's cost.
    """
