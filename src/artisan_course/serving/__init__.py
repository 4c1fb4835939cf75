"""The server side: the Voilà slide server, its templates and pages, reveal.js assets and the JupyterLab copy."""
