"""Teaching models behind the simulators. Pure: inputs in, numbers or DataFrames out; no display, no I/O."""
