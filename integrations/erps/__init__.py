"""One package per ERP (syspro/, sagepro/), listed in registry.py.

A package holds everything that knows its vendor: the connector, the entity
schemas and default mapping templates, field lengths and code formats, the
journal dialect, the connection settings the admin asks for and the sandbox
hook. spec.py and package.py are the ERP-neutral blocks they are built from.
"""
