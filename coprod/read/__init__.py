"""Reading evidence files: bytes to front matter with a line for every value, strict YAML, the JSON Schemas and the taxonomy."""
