"""Rendering and hardening HTML: escaping, markdown helpers, the sanitiser, the page policy, charts and the PDF."""
