"""Loaded first by pytest, for the tests and for nbval's notebook runs alike.

Every test run keeps learners' answers in a temporary folder, so a test can
never touch a real learner's store. Kernels that nbval starts inherit this.
"""
import os
import tempfile

if not os.environ.get("ARTISAN_COURSE_HOME", "").startswith(tempfile.gettempdir()):
    os.environ["ARTISAN_COURSE_HOME"] = tempfile.mkdtemp(prefix="artisan-course-test-home-")
