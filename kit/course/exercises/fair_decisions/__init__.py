"""Advanced fairness exercises for the customer_relationships lessons.

Three exercises on the lender's points rule and automated decisions in general:

- explaining each applicant's decision (points per reason) and the smallest change that would
  alter it;
- a second fairness measure next to the four-fifths rule, equal opportunity (approval rates
  of the applicants who went on to repay), with cases where the two disagree;
- a governance record (owner, appeal route, review cadence, monitoring measures) the
  participant fills in and downloads.

Parts: ``data`` (samples in ``content/exercises/fair_decisions.yaml``), ``calc``, ``charts``,
``widgets``; lessons use this package as one name space (see ``..parts``).
"""

from kit.course.exercises.parts import lesson_space

__getattr__, __dir__ = lesson_space(__name__)
