"""One parser per input format; ``index.loading`` picks one by file extension."""
