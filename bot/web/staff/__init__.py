"""The staff console: sign-in, results, comments and themes, broadcasts and the audit log at `/staff`."""
