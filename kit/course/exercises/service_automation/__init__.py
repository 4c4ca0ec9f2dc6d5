"""Service-automation exercises: what to automate first, in what order, with which tool, and
when a person takes over.

Four exercises for the service_automation lessons: an opportunity prioritiser (impact x
feasibility, gated by alignment with a business goal), a phased-rollout planner, a
tool-selection scorecard over weighted criteria (practical, then ethical), and a handover rule
for when a chatbot passes a question to a person.

Parts: ``data`` (samples in ``content/exercises/service_automation.yaml``), ``calc``, ``charts``,
``widgets``; lessons use this package as one name space (see ``..parts``).
"""

from kit.course.exercises.parts import lesson_space

__getattr__, __dir__ = lesson_space(__name__)
