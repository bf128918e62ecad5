"""A dialog that shows one lint rule's documentation, rendered from the registry."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from gobuildgui.core.dockerfile.rule import Rule
from gobuildgui.core.dockerfile.rules import find_rule, suggest_rules


def rule_markdown(rule: Rule) -> str:
    """The Markdown shown for ``rule``: a heading with its facts, then its docs."""
    fix = rule.fix.value if rule.fix is not None else "none"
    facts = f"**Severity:** {rule.severity.value} · **Category:** {rule.category} · **Fix:** {fix}"
    return f"# {rule.code} {rule.name}\n\n*{rule.summary}*\n\n{facts}\n\n{rule.doc}\n"


class RuleDocDialog(QDialog):
    """Shows the documentation of the rule with code (or name) ``code``.

    An unknown code shows a short message with the closest codes instead.
    """

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 520)
        self.show_rule(code)

    def show_rule(self, code: str) -> None:
        """Show the rule ``code`` (or name)."""
        rule = find_rule(code)
        if rule is None:
            close = suggest_rules(code)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            self.setWindowTitle("Unknown rule")
            self.browser.setMarkdown(f"There is no rule `{code}`.{hint}")
            self.rule: Rule | None = None
            return
        self.rule = rule
        self.setWindowTitle(f"{rule.code} {rule.name}")
        self.browser.setMarkdown(rule_markdown(rule))
