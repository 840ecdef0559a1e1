"""Entity-free English prose for throughput and stream hold-back measurements: paragraphs built from a
small hand-written grammar (subjects, verbs, objects, connectives), so the text reads like ordinary
business and technical writing without containing any personal data, secret or injection phrase."""

SUBJECTS = ["The team", "Our support desk", "The new release", "A careful reviewer", "The quarterly report",
            "Every customer", "The migration plan", "This library", "The operations group", "A short survey",
            "The design document", "The weekly meeting", "Our largest partner", "The test suite",
            "The marketing draft", "The warehouse crew", "A junior engineer", "The finance office"]
VERBS = ["describes", "improves", "questions", "summarises", "delays", "simplifies", "explains",
         "reviews", "changes", "measures", "supports", "compares", "replaces", "documents", "extends"]
OBJECTS = ["the onboarding flow", "the shipping schedule", "our pricing page", "the caching layer",
           "the hiring process", "a long list of small fixes", "the travel policy", "the error messages",
           "the customer survey results", "the backlog for next month", "the handbook chapter on budgets",
           "the way we name things", "the layout of the dashboard", "the spring catalogue",
           "the retry logic in the scheduler", "the notes from the workshop"]
CLAUSES = ["because the previous version was hard to follow", "while the rest of the plan stays the same",
           "so that new readers can find their way", "after a long discussion with the whole group",
           "although nobody expected it to matter much", "before the end of the season",
           "which surprised several people", "and nobody objected", "once the open questions were settled",
           "in a way that keeps the old behaviour available", "without adding any new meetings"]
FOLLOWUPS = ["That seems reasonable.", "Most readers agreed.", "The details are in the appendix.",
             "Feedback is welcome as always.", "It is a modest change.", "Nothing else needs to move.",
             "We will revisit it later.", "This was the main goal.", "Several questions remain open.",
             "The result is easier to maintain."]
OPENERS = ["In short,", "Meanwhile,", "As a result,", "On the other hand,", "For now,", "In practice,",
           "Looking back,", "To be fair,"]


def sentence(rng):
    s = "%s %s %s %s." % (rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(CLAUSES))
    if rng.random() < 0.3:
        s = rng.choice(OPENERS) + " " + s[0].lower() + s[1:]
    return s


def paragraph(rng):
    parts = [sentence(rng) for _ in range(rng.randrange(3, 7))]
    if rng.random() < 0.6:
        parts.append(rng.choice(FOLLOWUPS))
    return " ".join(parts)


def generate(rng, target_bytes):
    out, size = [], 0
    while size < target_bytes:
        p = paragraph(rng) + "\n\n"
        out.append(p)
        size += len(p)
    return "".join(out)
