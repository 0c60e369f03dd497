"""The command-line tools contributors run: the validator and the case-study scaffold."""
