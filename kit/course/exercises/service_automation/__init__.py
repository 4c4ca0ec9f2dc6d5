"""Service-automation exercises: what to automate first, in what order, and with which tool.

Three exercises for the service_automation lessons: an opportunity prioritiser (impact x
feasibility, gated by alignment with a business goal), a phased-rollout planner, and a
tool-selection scorecard over weighted criteria, with ethical criteria in the advanced lesson.

Parts: ``data`` (samples in ``content/exercises/service_automation.yaml``), ``calc``, ``charts``,
``widgets``; lessons use this package as one name space (see ``..parts``).
"""

from kit.course.exercises.parts import lesson_space

__getattr__, __dir__ = lesson_space(__name__)
