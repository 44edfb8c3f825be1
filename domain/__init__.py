"""The domain model: the registries as typed records, region roles, months and the clock.

The lowest layer: it imports no other package of the project, and every other layer may import it.
"""
