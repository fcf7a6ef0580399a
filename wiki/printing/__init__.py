"""Articles as PDF files: "Download as PDF" on an article, built by WeasyPrint in the task queue
and kept per revision (`services.py`); the engine runs in a child process of its own, bounded in
time and size, reading images and style sheets only from our own folders (`engine.py`)."""
