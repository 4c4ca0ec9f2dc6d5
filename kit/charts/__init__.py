"""The course's one chart vocabulary (Altair) and its colour palette."""
