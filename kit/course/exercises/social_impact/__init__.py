"""Social-impact exercises: what does automation free up, and is the good it does measured?

Three exercises, one per social_impact lesson: a freed-resources calculator (fundamentals), a
KPI planner pairing business and social KPIs (intermediate), and an automation-for-impact
prioritiser where the worst risk decides (advanced).

Parts: ``data`` (samples in ``content/exercises/social_impact.yaml``), ``calc``, ``charts``,
``widgets``; lessons use this package as one name space (see ``..parts``).
"""

from kit.course.exercises.parts import lesson_space

__getattr__, __dir__ = lesson_space(__name__)
