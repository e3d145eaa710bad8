"""Short real prose used by several test modules (Pride and Prejudice, public domain)."""

AUSTEN = (
    "It is a truth universally acknowledged, that a single man in possession of a good fortune, "
    "must be in want of a wife.\n\n"
    "However little known the feelings or views of such a man may be on his first entering a "
    "neighbourhood, this truth is so well fixed in the minds of the surrounding families, that he "
    "is considered the rightful property of some one or other of their daughters.\n\n"
    "\u201cMy dear Mr. Bennet,\u201d said his lady to him one day, \u201chave you heard that "
    "Netherfield Park is let at last?\u201d\n\n"
    "Mr. Bennet replied that he had not.\n\n"
    "\u201cBut it is,\u201d returned she; \u201cfor Mrs. Long has just been here, and she told me "
    "all about it.\u201d\n\n"
    "Mr. Bennet made no answer.\n\n"
    "\u201cDo you not want to know who has taken it?\u201d cried his wife impatiently.\n\n"
    "\u201cYou want to tell me, and I have no objection to hearing it.\u201d\n\n"
    "This was invitation enough.\n"
)

UNRELATED = (
    "The committee met on Tuesday to review the budget for the coming year. Several members "
    "raised concerns about the cost of repairs to the library roof, and the treasurer agreed to "
    "obtain three further quotations before the next meeting. A proposal to extend the opening "
    "hours of the community centre was carried without objection.\n"
)

# A chat answer quoting two passages of AUSTEN (the command-line tests' output).
COPY = (
    "Sure! The novel opens: it is a truth universally acknowledged, that a single man in possession "
    "of a good fortune, must be in want of a wife. Later his wife asks: do you not want to know who "
    "has taken it? cried his wife impatiently."
)
