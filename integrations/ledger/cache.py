"""What a worker process keeps between runs: the integration a record runs for.

Every record needs its integration, both connections and the anomaly policy;
they change rarely, so a process keeps them and checks a stamp instead.
"""

from integrations.models import Integration

# What a run reads through its integration, loaded with it in one query.
RUN_RELATED = ("erp_connection", "stripe_connection", "anomaly_policy")

# Integration pk -> (its stamp, the integration with its connections and
# anomaly policy), per process.
_integrations: dict[int, tuple[tuple, Integration]] = {}


def integration_for_run(pk: int) -> Integration:
    """The integration with its connections and anomaly policy, for a run.

    Kept per process while the four rows are unchanged: one small query reads
    their updated_at (every save sets it) and the rows are read again only
    when one moved. The queue pause is set without a save and is not part of
    the stamp: the claim checks it itself. Treat the result as read-only.
    """
    stamp = _integration_stamp(pk)
    cached = _integrations.get(pk)
    if cached is not None and stamp is not None and cached[0] == stamp:
        return cached[1]
    integration = Integration.objects.select_related(*RUN_RELATED).get(pk=pk)
    if stamp is not None:
        _integrations[pk] = (stamp, integration)
    return integration


def integration_loaded_for_run(integration: Integration) -> bool:
    """Whether `integration` was read with everything a run needs."""
    opts = Integration._meta
    return all(opts.get_field(name).is_cached(integration) for name in RUN_RELATED)


def _integration_stamp(pk: int) -> tuple | None:
    """When the integration, its connections and its anomaly policy last
    changed; a policy created since (its id) changes the stamp too."""
    return (
        Integration.objects.filter(pk=pk)
        .values_list(
            "created_at",
            "updated_at",
            "erp_connection__updated_at",
            "stripe_connection__updated_at",
            "anomaly_policy__id",
            "anomaly_policy__updated_at",
        )
        .first()
    )
