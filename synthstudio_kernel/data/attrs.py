"""Keys Synth Studio stores in ``DataFrame.attrs`` to link tables to what was done to them.

Values are JSON-safe and hold no data values.
"""

#: What a PII ``apply`` did to the frame (the record that compliance reports read).
PII_RECORD = "synthstudio_pii"
#: The ledger run that produced a synthetic frame.
RUN_ID = "synthstudio_run_id"
