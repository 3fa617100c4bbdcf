"""Writes of the customer portal: accounts (accounts.py), orders (orders.py),
card payments (payments.py)."""
