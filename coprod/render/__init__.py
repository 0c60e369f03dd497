"""Rendering and hardening HTML: escaping, markdown helpers, the sanitiser and the page policy."""
