"""The ERP connector contract (protocol.py, records.py), the error types, the
connection settings, the shared HTTP helpers and the Stripe SDK wrapper.

The ERP connectors themselves live in their ERP packages
(integrations/erps/<kind>/), listed in integrations/erps/registry.py, which
also builds a connection's connector (`connector_for`).
"""
