"""sitegen: Markdown articles with YAML front matter -> a static site tracking prisoner releases."""

__version__ = "0.1.0"
