"""Click commands; ``webapp.cli`` adds them to the ``parley`` group."""
