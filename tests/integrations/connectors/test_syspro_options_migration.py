"""Migration 0010: SYSPRO integrations set up before the options changes.

The function runs on the historical models of the migration's own state.
"""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from integrations.erps.syspro.templates import DEFAULT_OPTIONS_SYSPRO
from integrations.models import Connection, Integration
from tests.factories import ConnectionFactory, IntegrationFactory

pytestmark = pytest.mark.django_db

MIGRATION = "0010_syspro_options_defaults"
migration = importlib.import_module(f"integrations.migrations.{MIGRATION}")


def run_migration() -> None:
    state = MigrationExecutor(connection).loader.project_state(
        ("integrations", MIGRATION)
    )
    migration.syspro_options_defaults(state.apps, None)


def test_old_syspro_options_get_the_new_defaults_and_keep_their_own():
    # given an integration set up before the change: CC, and its own bank
    old = IntegrationFactory(
        options={"payment_type": "CC", "bank": "FNB", "uom": "BOX"}
    )

    # when
    run_migration()

    # then CC is SYSPRO's O, missing options are filled, its own values stay
    options = Integration.objects.get(pk=old.pk).options
    assert options["payment_type"] == "O"
    assert options["bank"] == "FNB"
    assert options["uom"] == "BOX"
    assert options["product_class"] == "STRP"
    assert options["misc_product_class"] == "_OTH"
    assert options["journal_type"] == "N"
    assert options["currency_precision"] == "round"


def test_a_valid_payment_type_and_other_erps_are_left_alone():
    cash = IntegrationFactory(options={"payment_type": "S"})
    sagepro = IntegrationFactory(
        erp_connection=ConnectionFactory(kind=Connection.Kind.SAGEPRO),
        options={"payment_type": "CC"},
    )

    run_migration()
    run_migration()

    assert Integration.objects.get(pk=cash.pk).options["payment_type"] == "S"
    assert Integration.objects.get(pk=sagepro.pk).options == {"payment_type": "CC"}


def test_the_copied_defaults_were_the_package_defaults_when_written():
    # The migration keeps its own copy; when the package's defaults change
    # later this test is the one to update, not the migration.
    for name, value in migration.SYSPRO_DEFAULTS.items():
        assert DEFAULT_OPTIONS_SYSPRO[name] == value, name
