"""Scheduled jobs shared by every process on one database: each tick of each job is run by one of them."""
