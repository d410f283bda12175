"""The staff console's "You said, we did" pages: themes, actions, involvement, check-ins (routes.py)."""
