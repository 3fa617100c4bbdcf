"""Migration mapping 0002: anomaly thresholds move to the log-scale rule.

The function runs on the historical models of the migration's own state.
"""

import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mapping.anomalies import RECOMMENDED_THRESHOLD
from mapping.models import AnomalyPolicy
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

MIGRATION = "0002_anomaly_threshold_on_log_scale"
migration = importlib.import_module(f"mapping.migrations.{MIGRATION}")


def run_migration() -> None:
    state = MigrationExecutor(connection).loader.project_state(("mapping", MIGRATION))
    migration.thresholds_to_log_scale(state.apps, None)


def test_the_old_default_moves_to_the_new_one_and_a_chosen_threshold_stays():
    # given one policy at the old default and one someone tuned by hand
    at_default, _ = AnomalyPolicy.objects.update_or_create(
        integration=IntegrationFactory(), defaults={"outlier_threshold": 6}
    )
    tuned, _ = AnomalyPolicy.objects.update_or_create(
        integration=IntegrationFactory(), defaults={"outlier_threshold": "7.5"}
    )

    # when
    run_migration()

    # then
    assert AnomalyPolicy.objects.get(pk=at_default.pk).outlier_threshold == 4
    assert AnomalyPolicy.objects.get(pk=tuned.pk).outlier_threshold == Decimal("7.5")


def test_a_new_policy_starts_at_the_threshold_the_benchmark_chose():
    policy, _ = AnomalyPolicy.objects.get_or_create(integration=IntegrationFactory())
    assert policy.outlier_threshold == Decimal(str(RECOMMENDED_THRESHOLD))
