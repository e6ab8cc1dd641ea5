"""Timelines (issue #15): questions that ask how a story unfolded, answered as dated,
chronological, cited lines; and the wording that asks for a timeline or for the latest.

``detect`` reads the question, ``events`` dates and de-duplicates a story's sentences,
``compose`` writes and reads back the lines, ``writer`` runs them with any answerer.
"""
