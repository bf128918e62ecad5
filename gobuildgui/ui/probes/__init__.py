"""The probe panel and its QThreadPool workers (the Qt face of ``gobuildgui.core.probes``)."""
