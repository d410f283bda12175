"""The safeguarding pages of the staff console: alerts for the safeguarding lead, and the reveal log.

    install(console, safeguarding_store, detector)          # templates and menu links
    routes = staff_routes(console, extra=safeguarding_routes(safeguarding_store, detector))
"""
