"""Customer-experience exercises: is fair automation paying off, is the chatbot honest, and
does a pooled report keep customers anonymous?

Three exercises for the customer_experience lessons:

- an ROI calculator over the figures the lessons use to show trust paying off (Net Promoter
  Score, retention, churn, customer lifetime value), comparing a year before a change with the
  year after it;
- a transparency checker that reads a chatbot transcript against the rules declared in
  ``content/checklists/chatbot_transparency.yaml`` and says, rule by rule, pass or fail and why.
- a pooled-report check: how many customers stand behind each row of a report that names no
  one, with each detail shown as recorded, coarser or not at all.

Parts: ``data`` (samples in ``content/exercises/customer_experience.yaml``), ``calc``,
``charts``, ``widgets``; lessons use this package as one name space (see ``..parts``).
"""

from kit.course.exercises.parts import lesson_space

__getattr__, __dir__ = lesson_space(__name__)
