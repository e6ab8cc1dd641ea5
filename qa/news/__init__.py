"""Reading the archive as news: values that disagree across outlets, or change over time.

``claims`` reads what each article says the answer is; ``disagreements`` sorts those
claims into conflicts (outlets disagree at the same time) and updates (a later report
or a correction notice replaces an earlier one); ``compose`` writes that into the draft.
"""
