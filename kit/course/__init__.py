"""The course: content files and their models, the course map, lesson widgets and exercises."""
