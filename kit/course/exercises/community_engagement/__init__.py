"""Community-engagement exercises: what does automating a touchpoint cost in human contact?

Four exercises for the community_engagement lessons: a touchpoint matrix (speed and cost gained
against human contact lost), matching community risks with their mitigations, a
community-health metric mix of numbers and voices, and a trust-safeguard audit of automated
decisions.

Parts: ``data`` (samples in ``content/exercises/community_engagement.yaml``), ``calc``,
``charts``, ``widgets``; lessons use this package as one name space (see ``..parts``).
"""

from kit.course.exercises.parts import lesson_space

__getattr__, __dir__ = lesson_space(__name__)
