"""The guided fix wizard (``FixWizard``) and its widgets."""
