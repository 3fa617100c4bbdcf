"""Writes of the Stripe sandbox, one module per resource family."""
